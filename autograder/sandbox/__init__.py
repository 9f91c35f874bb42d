"""Run student code in isolation: the policy (limits, backend) and the worker transport."""

from autograder.sandbox.policy import WARNING_NO_BWRAP, SandboxPolicy, bwrap_available
from autograder.sandbox.transport import SandboxTransport

__all__ = ["SandboxPolicy", "SandboxTransport", "WARNING_NO_BWRAP", "bwrap_available"]
