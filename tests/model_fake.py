"""A boto3 client whose calls a Python fake answers, checked against botocore's service model.

For what neither moto nor a fixed Stubber queue can play: calls whose answer depends on what
happened before (a modification in flight, a transaction). The client is a real boto3 client: its
requests are validated against the service model's input shapes before the fake sees them, and
each answer the fake gives is validated against the operation's output shape, as Stubber does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from botocore.validate import ParamValidator


class ServiceFault(Exception):
    """A fake's error answer: botocore raises it to the caller as the service's ClientError."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.status = code, message, status


def model_client(service: str, answer: Callable[[str, dict[str, Any]], dict[str, Any]]) -> Any:
    """A client of `service` whose operations `answer(operation_name, params)` plays."""
    # A session of its own: tests replace `boto3.client` with a function that hands this client out.
    client = boto3.session.Session().client(
        service, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )

    def keep_parameters(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        # `before-call` sees the serialized request; the API's own parameters are kept here for the fake.
        context["fake_parameters"] = dict(params)

    def before_call(model: Any, context: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        try:
            parsed = answer(model.name, context["fake_parameters"])
        except ServiceFault as fault:
            error = {
                "Error": {"Code": fault.code, "Message": fault.message},
                "ResponseMetadata": {"HTTPStatusCode": fault.status},
            }
            return AWSResponse("https://fake", fault.status, {}, None), error
        report = ParamValidator().validate(parsed, model.output_shape) if model.output_shape else None
        if report is not None and report.has_errors():
            raise AssertionError(f"{model.name}: the fake's answer is not in the model: {report.generate_report()}")
        return AWSResponse("https://fake", 200, {}, None), {**parsed, "ResponseMetadata": {"HTTPStatusCode": 200}}

    service_id = client.meta.service_model.service_id.hyphenize()
    client.meta.events.register(f"before-parameter-build.{service_id}.*", keep_parameters)
    client.meta.events.register_first(f"before-call.{service_id}.*", before_call)
    return client
