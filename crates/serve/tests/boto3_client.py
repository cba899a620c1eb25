"""Drives an iamproof server with boto3, as an SDK user would.

Reads a JSON list of cases ({"operation": ..., "params": {...}}) on standard input, calls each
against the endpoint given as the first argument, and prints a JSON list of answers:
{"response": {...}} (ResponseMetadata removed) or {"error": code, "message", "reason",
"fieldList", "status"}. ValidatePolicy goes through boto3's paginator with one finding per page,
so maxResults/nextToken paging is exercised too.
"""

import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def main():
    endpoint = sys.argv[1]
    cases = json.load(sys.stdin)
    session = boto3.session.Session(
        aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1"
    )
    config = Config(retries={"max_attempts": 1, "mode": "standard"})
    aa = session.client("accessanalyzer", endpoint_url=endpoint, config=config)
    sts = session.client("sts", endpoint_url=endpoint, config=config)
    calls = {
        "CheckNoNewAccess": aa.check_no_new_access,
        "CheckAccessNotGranted": aa.check_access_not_granted,
        "CheckNoPublicAccess": aa.check_no_public_access,
    }
    answers = []
    for case in cases:
        op, params = case["operation"], case["params"]
        try:
            if op == "ValidatePolicy":
                findings, pages = [], 0
                paginator = aa.get_paginator("validate_policy")
                for page in paginator.paginate(PaginationConfig={"PageSize": 1}, **params):
                    findings.extend(page["findings"])
                    pages += 1
                response = {"findings": findings, "pages": pages}
            elif op == "GetCallerIdentity":
                response = sts.get_caller_identity()
            else:
                response = calls[op](**params)
            response.pop("ResponseMetadata", None)
            answers.append({"response": response})
        except ClientError as e:
            error = e.response.get("Error", {})
            answers.append(
                {
                    "error": error.get("Code"),
                    "message": error.get("Message"),
                    "reason": e.response.get("reason"),
                    "fieldList": e.response.get("fieldList"),
                    "status": e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
                }
            )
    json.dump(answers, sys.stdout)


if __name__ == "__main__":
    main()
