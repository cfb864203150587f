// The "plan" section of every report format: `xborder report --plan PLAN.json` (or a saved report
// input with a `plan` member) carries the document `xborder plan --format json` wrote
// (docs/plan-output.md, schema 1.x) as the report input's `plan`; each renderer shows it — the
// plan's status and cost, before (this report's check) and after (the plan's checks at every date
// of its window), the changes, why each is needed (the rule and citation of every finding the
// cheaper option would bring) and the RFC 6902 patch. Read from JSON only, like every report.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace xborder {

// What makes `plan` unusable as a plan document, as (JSON pointer below `prefix`, message): the
// members the plan section reads must have the types `xborder plan --format json` writes, and its
// schema must be 1.x. Empty when it can be rendered.
std::vector<std::pair<std::string, std::string>> plan_document_problems(
    const nlohmann::json& plan, const std::string& prefix = "");

// The plan, read once for every renderer (strings as they are in the document).
struct PlanFindingView {
  std::string verdict, rule, title, place, dataset, edge, exporter, importer, to_country, at;
  nlohmann::json citation;  // {instrument, article, url, …} or null
  std::vector<std::string> missing;
};

struct PlanView {
  std::string schema_version, model_file, model_name, status, at, until;
  std::size_t dates = 0;
  std::optional<double> cost, latency_ms;
  // Robust plans (`plan --scenario`).
  std::string scenario_file, robust_method;
  std::optional<double> min_probability, probability;
  struct Change {
    std::string point, name, target, option, note;
    double cost = 0;
  };
  std::vector<Change> changes;  // every choice (only those that cost something past 12 points)
  std::size_t unchanged = 0;    // choices left out of `changes`
  struct Reason {
    std::string point, option, instead_of, at;
    std::optional<double> probability;
    std::vector<std::string> events;
    std::vector<PlanFindingView> avoids;
    std::string future_error;
  };
  std::vector<Reason> reasons;
  // The plan's checks, consecutive dates with the same counts as one stretch.
  struct After {
    std::string at, last;  // last == at: one date
    std::size_t dates = 1;
    long long violations = 0, undetermined = 0;
    [[nodiscard]] std::string when() const {
      return dates == 1 ? at : at + " .. " + last + " (" + std::to_string(dates) + " dates)";
    }
  };
  std::vector<After> after;
  nlohmann::json patch = nlohmann::json::array();
  struct Requirement {
    std::string kind, at;
    std::optional<PlanFindingView> finding;
    std::vector<std::string> points;
    std::optional<double> probability_at_most;
    std::vector<std::string> events;  // robust: the first future's active events
  };
  std::vector<Requirement> core;  // infeasible: why
};

// The report input's plan, or nullopt when it has none.
std::optional<PlanView> plan_view(const nlohmann::json& input);

// Per choice point, the rule ids of the findings its chosen option avoids (in order, once each).
std::map<std::string, std::vector<std::string>> plan_rules_by_point(const PlanView& v);
// "JP-APPI-28 (Act on the Protection of Personal Information, Art. 28)"
std::string plan_finding_label(const PlanFindingView& f);
// "system `c-storage`", "flow `to-crm`", "remote access of `p` to `s`"
std::string plan_target_label(const nlohmann::json& target);
// "97.5 %"
std::string plan_percent(double p);
// 110, 12.5
std::string plan_number(double x);

// The Markdown section ("## Plan" …), "" without a plan.
std::string plan_section_markdown(const nlohmann::json& input);

// Per register edge: the plan's changes that avoid a finding on it, "point=option: RULE
// (citation)", for the CSV register's `planned_change` column.
std::map<std::string, std::string> plan_changes_by_edge(const nlohmann::json& input);

// The plan for SARIF's run properties (`xborder/plan`): status, cost, the changes with their
// reasons (rule ids), the patch; null without a plan.
nlohmann::json plan_sarif_properties(const nlohmann::json& input);

}  // namespace xborder
