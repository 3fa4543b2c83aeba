"""The deployable build: every function's binary from one `cargo lambda build` (make build), laid out
as `sam build` would lay it out, so `sam deploy` (and `sam package`) take it as they take sam's own.

usage: python infra/deploy/package.py ARCH [OUT_DIR]

Writes OUT_DIR (default .aws-sam/build) with `<Logical>Function/bootstrap` for every function of
template.yaml and `template.yaml`: the source template with each CodeUri pointing at its folder,
the other relative paths (the state machine's definition) rewritten for the new location, and the
`Architecture` parameter pinned to ARCH (its only allowed value and its default): a deploy that
asks for another architecture than the binaries were built for is refused by CloudFormation before
anything changes. `sam build` is not used because it runs cargo once per function, each with its
own feature set, recompiling the shared crates 39 times (61 min on 2 cores).
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from samcli.commands._utils.template import move_template
from samcli.yamlhelper import yaml_parse

# ELF e_machine of each Lambda architecture.
MACHINES = {"x86_64": 0x3E, "arm64": 0xB7}


def elf_machine(binary: Path) -> int | None:
    header = binary.read_bytes()[:20]
    if header[:4] != b"\x7fELF":
        return None
    return int.from_bytes(header[18:20], "little")


def lambda_dir(repo: Path) -> Path:
    """Where cargo lambda puts `<bin>/bootstrap`: the workspace's target directory (CARGO_TARGET_DIR
    or a cargo config may move it), as cargo itself reports it."""
    meta = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=repo,
                          check=True, capture_output=True, text=True)
    return Path(json.loads(meta.stdout)["target_directory"]) / "lambda"


def main() -> None:
    repo = Path(__file__).resolve().parents[2]
    if len(sys.argv) < 2 or sys.argv[1] not in MACHINES:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(MACHINES)}}} [OUT_DIR]")
    arch = sys.argv[1]
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else repo / ".aws-sam" / "build"
    built = lambda_dir(repo)
    source = repo / "template.yaml"
    template = yaml_parse(source.read_text())

    names = {MACHINES["x86_64"]: "x86_64", MACHINES["arm64"]: "arm64"}
    functions = {logical: resource for logical, resource in template["Resources"].items()
                 if resource["Type"] == "AWS::Serverless::Function"}
    binaries, problems = {}, []
    for logical, resource in functions.items():
        binary = built / resource["Metadata"]["BuildProperties"]["Binary"] / "bootstrap"
        machine = elf_machine(binary) if binary.exists() else None
        if not binary.exists():
            problems.append(f"{logical}: {binary} is missing")
        elif machine != MACHINES[arch]:
            problems.append(f"{logical}: {binary} is {names.get(machine, 'not a Lambda executable')}")
        binaries[logical] = binary
    if problems:
        sys.exit(f"cannot package {arch} (make build ARCH={arch} first):\n  " + "\n  ".join(problems))

    if out.exists():
        shutil.rmtree(out)
    for logical, resource in functions.items():
        (out / logical).mkdir(parents=True)
        shutil.copy2(binaries[logical], out / logical / "bootstrap")
        # Relative to the source template, as sam build's own output is; move_template below
        # makes it relative to OUT_DIR.
        resource["Properties"]["CodeUri"] = os.path.relpath(out / logical, repo)
        # Built already: nothing for `sam build` to do should anyone run it on this template.
        for key in ("BuildMethod", "BuildProperties"):
            resource["Metadata"].pop(key, None)

    parameter = template["Parameters"]["Architecture"]
    parameter["Default"] = arch
    parameter["AllowedValues"] = [arch]
    parameter["Description"] = f"The binaries of this package are {arch} (make package ARCH={arch})."
    move_template(str(source), str(out / "template.yaml"), template)
    print(f"packaged {len(functions)} functions ({arch}) into {out}; `sam deploy` deploys it")


if __name__ == "__main__":
    main()
