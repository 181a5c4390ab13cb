"""A boto3 client whose calls a Python fake answers, checked against botocore's service model.

For what neither moto nor a fixed Stubber queue can play: calls whose answer depends on what
happened before (a modification in flight, a failover that takes a few polls, a transaction). The
client is a real boto3 client: botocore checks each request against the service model before the
fake sees it, as it does for AWS; each answer is checked against the operation's output shape and
each error code against the operation's modelled errors, as botocore's Stubber does. Unlike a
Stubber, the fake holds state, so a run with a fault and its re-run can call it in any order.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import boto3
from botocore import xform_name
from botocore.awsrequest import AWSResponse
from botocore.validate import validate_parameters

# Errors every AWS query-protocol service may send, besides each operation's modelled ones.
COMMON_ERRORS = {"Throttling", "InvalidParameterValue", "InvalidParameterCombination"}

Answer = Callable[[str, dict[str, Any]], dict[str, Any]]


class FakeError(Exception):
    """An AWS error answer: `code` must be one of the operation's modelled errors."""

    def __init__(self, code: str, message: str = "", status: int = 400):
        super().__init__(code, message)
        self.code, self.message, self.status = code, message, status


@functools.cache
def _session() -> boto3.session.Session:
    """One session for every fake client (tests replace `boto3.client` with a function that hands
    these out): it loads each service model once; each client has its own event hooks."""
    return boto3.session.Session()


def model_client(service: str, answer: Answer, region: str = "us-east-1") -> Any:
    """A client of `service` whose operations `answer(operation_name, params)` plays."""
    client = _session().client(service, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")

    def keep_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        # `before-call` sees the serialized request; the API's own parameters are kept here for the fake.
        context["fake_params"] = dict(params)

    def before_call(model: Any, context: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        try:
            parsed = answer(model.name, context["fake_params"])
        except FakeError as error:
            assert error.code in {shape.name for shape in model.error_shapes} | COMMON_ERRORS, (model.name, error.code)
            return _http(error.status), {"Error": {"Code": error.code, "Message": error.message}, "ResponseMetadata": {}}
        if model.output_shape is not None:
            validate_parameters(parsed, model.output_shape)
        return _http(200), {**parsed, "ResponseMetadata": {"HTTPStatusCode": 200}}

    service_id = client.meta.service_model.service_id.hyphenize()
    client.meta.events.register_first(f"before-parameter-build.{service_id}.*", keep_params)
    client.meta.events.register(f"before-call.{service_id}.*", before_call)
    return client


def object_client(service: str, fake: Any, region: str = "us-east-1") -> Any:
    """A client of `service` whose every call is `fake.<snake_case operation>(**params)`."""
    return model_client(service, lambda operation, params: getattr(fake, xform_name(operation))(**params), region)


def _http(status: int) -> AWSResponse:
    return AWSResponse("https://fake.amazonaws.com", status, {}, None)
