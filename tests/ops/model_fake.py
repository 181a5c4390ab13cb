"""A boto3 client answered by a Python object, for the calls moto cannot play with their state
(a failover that takes a few polls, backtracks, a copy's source ARN, the Data API's transactions).

botocore checks each request against the service model before the fake sees it, as it does for
AWS; each answer is checked against the operation's output shape and each error code against the
operation's modelled errors, as botocore's Stubber does. Unlike a Stubber, the fake holds state, so
a run with a fault and its re-run can call it in any order.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore import xform_name
from botocore.awsrequest import AWSResponse
from botocore.validate import validate_parameters

# Errors every AWS query-protocol service may send, besides each operation's modelled ones.
COMMON_ERRORS = {"Throttling", "InvalidParameterValue", "InvalidParameterCombination"}


class FakeError(Exception):
    """An AWS error answer: `code` must be one of the operation's modelled errors."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(code, message)
        self.code, self.message = code, message


def model_client(service: str, fake: Any, region: str = "us-east-1") -> Any:
    """A boto3 client of `service` whose every call is `fake.<snake_case operation>(**params)`."""
    client = boto3.client(service, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")

    def keep_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["fake_params"] = dict(params)

    def answer(model: Any, context: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        handler = getattr(fake, xform_name(model.name))
        try:
            parsed = handler(**context["fake_params"])
        except FakeError as error:
            assert error.code in {shape.name for shape in model.error_shapes} | COMMON_ERRORS, (model.name, error.code)
            return _http(400), {"Error": {"Code": error.code, "Message": error.message}, "ResponseMetadata": {}}
        validate_parameters(parsed, model.output_shape)
        return _http(200), {**parsed, "ResponseMetadata": {"HTTPStatusCode": 200}}

    client.meta.events.register_first(f"before-parameter-build.{service}.*", keep_params)
    client.meta.events.register(f"before-call.{service}.*", answer)
    return client


def _http(status: int) -> AWSResponse:
    return AWSResponse("https://fake.amazonaws.com", status, {}, None)
