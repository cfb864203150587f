#!/usr/bin/env python3
"""A synthetic `terraform show -json` plan of N resources for `xborder import terraform` and
`check --infra` at scale: S3 buckets (every fourth replicated to us-east-1), RDS instances (every
fifth with a cross-region read replica), DynamoDB global tables, Azure storage accounts (GRS) and
Google Cloud buckets (EU, ASIA1, regions), and a share of types xborder does not read (Lambda
functions), spread over child modules. Also writes an overlay naming the base model's owner.

usage: bench/terraform_plan.py N OUT_DIR   (writes OUT_DIR/plan.json and OUT_DIR/overlay.yaml)
"""
import json
import os
import sys

AWS = "registry.terraform.io/hashicorp/aws"


def ref(*refs):
    return {"references": list(refs)}


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    modules = {}
    config = {}
    kinds = ["s3", "rds", "dynamodb", "azure", "gcs", "lambda"]
    aws_regions = ["eu-central-1", "eu-west-1", "ap-northeast-1", "us-east-1"]
    count = 0
    i = 0
    while count < n:
        kind = kinds[i % len(kinds)]
        module = "team%02d" % (i % 40)
        res = []
        if kind == "s3":
            name = "bucket%d" % i
            res.append(("aws_s3_bucket", name, {"bucket": "acme-%d" % i, "region": aws_regions[i % 3]}, {}))
            if i % 4 == 0:
                res.append(("aws_s3_bucket", name + "_dr", {"bucket": "acme-%d-dr" % i, "region": "us-east-1"}, {}))
                res.append(("aws_s3_bucket_replication_configuration", name,
                            {"rule": [{"status": "Enabled", "destination": [{}]}]},
                            {"bucket": ref("aws_s3_bucket.%s.id" % name),
                             "rule": [{"destination": [{"bucket": ref("aws_s3_bucket.%s_dr.arn" % name)}]}]}))
        elif kind == "rds":
            name = "db%d" % i
            res.append(("aws_db_instance", name, {"identifier": name, "region": aws_regions[i % 3]}, {}))
            if i % 5 == 0:
                res.append(("aws_db_instance", name + "_replica", {"identifier": name + "-r", "region": "us-east-1"},
                            {"replicate_source_db": ref("aws_db_instance.%s.arn" % name)}))
        elif kind == "dynamodb":
            res.append(("aws_dynamodb_table", "t%d" % i, {"name": "t%d" % i, "region": "eu-west-1",
                                                          "replica": [{"region_name": "ap-northeast-1"}]}, {}))
        elif kind == "azure":
            res.append(("azurerm_storage_account", "sa%d" % i, {"name": "sa%d" % i, "location": "westeurope",
                                                                "account_replication_type": "GRS"}, {}))
        elif kind == "gcs":
            res.append(("google_storage_bucket", "g%d" % i, {"name": "g%d" % i,
                                                            "location": ["EU", "ASIA1", "EUROPE-WEST3"][i % 3]}, {}))
        else:
            res.append(("aws_lambda_function", "f%d" % i, {"function_name": "f%d" % i, "region": "eu-west-1"}, {}))
        for type_, name, values, expr in res:
            provider = {"aws": AWS, "azurerm": "registry.terraform.io/hashicorp/azurerm",
                        "google": "registry.terraform.io/hashicorp/google"}[type_.split("_")[0]]
            modules.setdefault(module, []).append({
                "address": "module.%s.%s.%s" % (module, type_, name), "mode": "managed", "type": type_,
                "name": name, "provider_name": provider, "values": values})
            config.setdefault(module, []).append({
                "address": "%s.%s" % (type_, name), "mode": "managed", "type": type_, "name": name,
                "provider_config_key": type_.split("_")[0], "expressions": expr})
            count += 1
        i += 1
    plan = {
        "format_version": "1.2", "terraform_version": "1.9.5",
        "planned_values": {"root_module": {"child_modules": [
            {"address": "module." + m, "resources": r} for m, r in sorted(modules.items())]}},
        "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-central-1"}}}},
                          "root_module": {"module_calls": {m: {"module": {"resources": c}} for m, c in sorted(config.items())}}},
    }
    with open(os.path.join(out, "plan.json"), "w") as f:
        json.dump(plan, f)
    with open(os.path.join(out, "overlay.yaml"), "w") as f:
        f.write("format: xborder-terraform-overlay/1\nowner: shop\nfrom: webshop\n")
    print("%d resources in %s/plan.json" % (count, out))


if __name__ == "__main__":
    main()
