//! Reading `template.yaml` (with its CloudFormation tags) into what provisioning and tests need.
use anyhow::{anyhow, Context, Result};
use serde_yaml::Value;
use std::collections::BTreeSet;

pub struct Template {
    pub root: Value,
}

/// A resource property that refers to another resource or parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Reference {
    Literal(String),
    Ref(String),
    GetAtt(String, String),
}

impl Template {
    pub fn load(path: &std::path::Path) -> Result<Self> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Ok(Self {
            root: serde_yaml::from_str(&text)?,
        })
    }

    pub fn parse(text: &str) -> Result<Self> {
        Ok(Self {
            root: serde_yaml::from_str(text)?,
        })
    }

    pub fn load_default() -> Result<Self> {
        Self::load(&crate::repo_root().join("template.yaml"))
    }

    /// (logical id, properties) of every resource of a type, in template order.
    pub fn resources(&self, kind: &str) -> Vec<(String, &Value)> {
        let Some(map) = self.root.get("Resources").and_then(Value::as_mapping) else {
            return vec![];
        };
        map.iter()
            .filter(|(_, r)| r.get("Type").and_then(Value::as_str) == Some(kind))
            .filter_map(|(k, r)| {
                Some((
                    k.as_str()?.to_string(),
                    r.get("Properties").unwrap_or(&Value::Null),
                ))
            })
            .collect()
    }

    pub fn parameter_default(&self, name: &str) -> Option<String> {
        let v = self.root.get("Parameters")?.get(name)?.get("Default")?;
        scalar(v)
    }

    /// `Globals.Function.Environment.Variables`, unresolved.
    pub fn global_env(&self) -> Result<Vec<(String, Reference)>> {
        let vars = self
            .root
            .get("Globals")
            .and_then(|g| g.get("Function"))
            .and_then(|f| f.get("Environment"))
            .and_then(|e| e.get("Variables"))
            .and_then(Value::as_mapping)
            .ok_or_else(|| anyhow!("template has no Globals.Function.Environment.Variables"))?;
        vars.iter()
            .map(|(k, v)| {
                Ok((
                    k.as_str().ok_or_else(|| anyhow!("env name"))?.to_string(),
                    reference(v)?,
                ))
            })
            .collect()
    }

    /// `Environment.Variables` of individual functions (locally all functions share one env).
    pub fn function_env(&self) -> Result<Vec<(String, Reference)>> {
        let mut out = Vec::new();
        for (_, props) in self.resources("AWS::Serverless::Function") {
            if let Some(vars) = props
                .get("Environment")
                .and_then(|e| e.get("Variables"))
                .and_then(Value::as_mapping)
            {
                for (k, v) in vars {
                    out.push((
                        k.as_str().ok_or_else(|| anyhow!("env name"))?.to_string(),
                        reference(v)?,
                    ));
                }
            }
        }
        Ok(out)
    }

    /// The binaries of every function resource.
    pub fn function_binaries(&self) -> Vec<String> {
        self.resources("AWS::Serverless::Function")
            .into_iter()
            .filter_map(|(id, _)| self.function_binary(&id))
            .collect()
    }

    /// The binary a function resource builds.
    pub fn function_binary(&self, logical_id: &str) -> Option<String> {
        self.root
            .get("Resources")?
            .get(logical_id)?
            .get("Metadata")?
            .get("BuildProperties")?
            .get("Binary")?
            .as_str()
            .map(String::from)
    }

    /// The timeout of the function that builds `binary`: its own, else the Globals' (seconds).
    pub fn function_timeout(&self, binary: &str) -> Option<std::time::Duration> {
        let (_, properties) = self
            .resources("AWS::Serverless::Function")
            .into_iter()
            .find(|(id, _)| self.function_binary(id).as_deref() == Some(binary))?;
        let seconds = properties
            .get("Timeout")
            .or_else(|| self.root.get("Globals")?.get("Function")?.get("Timeout"))?
            .as_u64()?;
        Some(std::time::Duration::from_secs(seconds))
    }

    /// Every `(METHOD, path, binary)` that API Gateway routes to a function.
    pub fn http_routes(&self) -> BTreeSet<(String, String, String)> {
        let mut out = BTreeSet::new();
        let Some(map) = self.root.get("Resources").and_then(Value::as_mapping) else {
            return out;
        };
        for (_, r) in map {
            if r.get("Type").and_then(Value::as_str) != Some("AWS::Serverless::Function") {
                continue;
            }
            let binary = r
                .get("Metadata")
                .and_then(|m| m.get("BuildProperties"))
                .and_then(|b| b.get("Binary"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let Some(events) = r
                .get("Properties")
                .and_then(|p| p.get("Events"))
                .and_then(Value::as_mapping)
            else {
                continue;
            };
            for (_, e) in events {
                if e.get("Type").and_then(Value::as_str) != Some("HttpApi") {
                    continue;
                }
                let p = e.get("Properties");
                let path = p
                    .and_then(|p| p.get("Path"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let method = p
                    .and_then(|p| p.get("Method"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                out.insert((
                    method.to_ascii_uppercase(),
                    path.to_string(),
                    binary.clone(),
                ));
            }
        }
        out
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub fn reference(v: &Value) -> Result<Reference> {
    if let Some(s) = scalar(v) {
        return Ok(Reference::Literal(s));
    }
    if let Value::Tagged(t) = v {
        let arg = t
            .value
            .as_str()
            .ok_or_else(|| anyhow!("unsupported tag argument {:?}", t.value))?;
        if t.tag == "Ref" {
            return Ok(Reference::Ref(arg.to_string()));
        }
        if t.tag == "GetAtt" {
            let (res, attr) = arg
                .split_once('.')
                .ok_or_else(|| anyhow!("GetAtt needs Resource.Attribute"))?;
            return Ok(Reference::GetAtt(res.to_string(), attr.to_string()));
        }
    }
    Err(anyhow!("unsupported template value {v:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_function_timeout_is_its_own_or_the_global_one() {
        let t = Template::parse(
            "Globals:\n  Function:\n    Timeout: 15\nResources:\n  A:\n    Type: AWS::Serverless::Function\n    Metadata:\n      BuildProperties:\n        Binary: a\n    Properties:\n      Timeout: 90\n  B:\n    Type: AWS::Serverless::Function\n    Metadata:\n      BuildProperties:\n        Binary: b\n",
        )
        .unwrap();
        assert_eq!(t.function_timeout("a"), Some(Duration::from_secs(90)));
        assert_eq!(t.function_timeout("b"), Some(Duration::from_secs(15)));
        assert_eq!(t.function_timeout("c"), None);
        let real = Template::load_default().unwrap();
        assert!(real.function_timeout("enrich-batch").unwrap() >= Duration::from_secs(60));
    }
}
