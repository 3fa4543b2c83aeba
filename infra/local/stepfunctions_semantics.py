"""Step Functions as AWS runs it, where moto's interpreter differs (loaded by moto_child.py).

A task token per attempt. AWS gives every attempt of a `.waitForTaskToken` task its own token
(`$$.Task.Token`), so an answer always belongs to the attempt it was sent for. moto creates the
token once when the state is entered and keeps it for its retries: the first attempt's answer
stays on the token, and every retry reads it back at once instead of waiting for its own. A task
that fails once (a Lambda cut off at its timeout, through the local bridge) then burns all its
retries in the backoff's sleeps and fails the execution, while its retried invocations, still
running, answer a token nobody waits for. Here each retry registers a fresh token before it runs,
as in AWS.
"""
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.resource import (
    ResourceCondition,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback import (
    StateTaskServiceCallback,
)

_evaluate_with_timeout = StateTaskServiceCallback._evaluate_with_timeout


def _attempt_with_its_own_token(self, env):
    waits_for_token = (
        self._is_integration_pattern()
        and ResourceCondition.WaitForTaskToken in self._supported_integration_patterns
    )
    state = env.states.context_object.context_object_data.get("State") or {}
    if waits_for_token and state.get("RetryCount", 0) > 0:
        env.callback_pool_manager.add(env.states.context_object.update_task_token())
    return _evaluate_with_timeout(self, env)


def emulate():
    StateTaskServiceCallback._evaluate_with_timeout = _attempt_with_its_own_token
