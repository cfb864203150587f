#include "cli/sources.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include "model/model_sources.hpp"

namespace xborder::cli {
namespace {

using Table = std::vector<std::pair<std::string, Provenance>>;

std::string describe(const Table& table, const std::string& model_pointer) {
  if (table.empty() || model_pointer.empty()) return "";
  const auto p = find_provenance(table, model_pointer);
  if (!p) return "";
  std::string out = p->file.generic_string();
  if (p->line > 0) {
    out += ":" + std::to_string(p->line) + ":" + std::to_string(p->column);
  } else if (!p->pointer.empty()) {
    out += ":" + p->pointer;
  }
  if (!p->address.empty()) out += " (" + p->address + ")";
  return out;
}

}  // namespace

std::string source_text(const TransferModel& model, const std::string& model_pointer) {
  return describe(provenance_table(model), model_pointer);
}

std::string issue_sources_text(const CheckResult& result, const TransferModel& model,
                               bool show_compliant) {
  const Table table = provenance_table(model);
  if (table.empty()) return "";
  // One line per edge, in the order the issues are shown: where it comes from and its rules.
  std::vector<std::string> edges;
  std::map<std::string, std::pair<std::string, std::vector<std::string>>> by_edge;
  for (const auto& issue : result.issues) {
    if (issue.verdict == Verdict::kCompliant && !show_compliant) continue;
    if (issue.example >= result.findings.size()) continue;
    const Finding& f = result.findings[issue.example];
    const std::string where = describe(table, f.model_pointer);
    if (where.empty()) continue;
    auto [it, inserted] = by_edge.try_emplace(f.edge, where, std::vector<std::string>{});
    if (inserted) edges.push_back(f.edge);
    auto& rules = it->second.second;
    if (std::find(rules.begin(), rules.end(), f.rule_id) == rules.end()) rules.push_back(f.rule_id);
  }
  if (edges.empty()) return "";
  std::string out = "\nwhere the issues come from (input, line and column):\n";
  for (const auto& edge : edges) {
    const auto& [where, rules] = by_edge[edge];
    out += "  " + edge + "  ← " + where + ": ";
    for (std::size_t i = 0; i < rules.size(); ++i) out += (i ? ", " : "") + rules[i];
    out += "\n";
  }
  return out;
}

void locate_warnings(Diagnostics& warnings, const TransferModel& model) {
  const Table table = provenance_table(model);
  if (table.empty()) return;
  warnings.relocate([&](Diagnostic& d) {
    const std::string where = describe(table, d.pointer);
    if (!where.empty()) d.message += " (from " + where + ")";
  });
}

}  // namespace xborder::cli
