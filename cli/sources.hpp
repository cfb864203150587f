// Where the items behind a check come from, for `check`'s text output: the input file, line and
// column (or pointer), and the foreign object (a Terraform address, a Fides system, a register
// edge) of each edge a shown legal issue or a warning is about. Only for a model whose provenance
// says more than "this place of the one model file" (several inputs, YAML, imports).
#pragma once

#include <string>

#include "model/transfer_model.hpp"
#include "solver/checker.hpp"

namespace xborder::cli {

// "file:line:column (address)", or "file:/pointer" when the line is not known; "" when the model
// pointer has no listed provenance.
std::string source_text(const TransferModel& model, const std::string& model_pointer);

// A section listing, for each legal issue shown (not compliant, or all with `show_compliant`), the
// source of its example's edge; "" when no shown issue has one.
std::string issue_sources_text(const CheckResult& result, const TransferModel& model,
                               bool show_compliant);

// The checker's warnings name a pointer into the merged model: each message gains the source of
// what it is about (`… (from systems.yml:47:9, system.webshop)`).
void locate_warnings(Diagnostics& warnings, const TransferModel& model);

}  // namespace xborder::cli
