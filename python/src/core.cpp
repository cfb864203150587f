// `xborder._core`: the compiled half of the Python package (python/README.md). It calls the same
// libraries as the CLI and hands results back as the JSON documents the CLI writes (the writers of
// reports/ and scenarios/simulation_report), so Python and the CLI share one output contract; the
// typed objects live in python/xborder/*.py and read these documents generically.
//
// Every entry point releases the GIL while the core works. Nothing here is shared between calls
// but read-only data (reference data, loaded rule bases, loaded models), and each check builds its
// own PathChecker (which owns its Z3 context), so calls from several threads are safe.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "model/model_loader.hpp"
#include "model/model_sources.hpp"
#include "model/reference_data.hpp"
#include "reports/check_report.hpp"
#include "reports/compare_report.hpp"
#include "reports/render.hpp"
#include "reports/report_input.hpp"
#include "reports/rules_report.hpp"
#include "scenarios/markov.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/simulation.hpp"
#include "scenarios/simulation_report.hpp"
#include "solver/checker.hpp"
#include "solver/compare.hpp"
#include "solver/rule_catalog.hpp"
#include "solver/rule_pack.hpp"

namespace py = pybind11;
using xborder::Json;

namespace {

// Invalid input: the diagnostics as the CLI's `--error-format json` writes them. Translated to
// `xborder.ModelError` (python/xborder/_errors.py) once the GIL is held again.
struct InputError : std::exception {
  Json diagnostics;
  std::string summary;
  [[nodiscard]] const char* what() const noexcept override { return summary.c_str(); }
};

Json diagnostics_json(const xborder::Diagnostics& diags) {
  Json out = Json::array();
  for (const auto& d : diags.sorted()) {
    out.push_back({{"severity", d.severity == xborder::Severity::kError ? "error" : "warning"},
                   {"code", d.code},
                   {"file", d.file.generic_string()},
                   {"pointer", d.pointer},
                   {"message", d.message},
                   {"hint", d.hint ? Json(*d.hint) : Json(nullptr)}});
  }
  return out;
}

[[noreturn]] void fail(const xborder::Diagnostics& diags) {
  InputError e;
  e.diagnostics = diagnostics_json(diags);
  const auto items = diags.sorted();
  const auto first = std::find_if(items.begin(), items.end(), [](const xborder::Diagnostic& d) {
    return d.severity == xborder::Severity::kError;
  });
  e.summary = first == items.end() ? "invalid input" : xborder::render_diagnostic(*first);
  const std::size_t errors = diags.error_count();
  if (errors > 1) e.summary += " (and " + std::to_string(errors - 1) + " more)";
  throw e;
}

[[noreturn]] void fail(const std::string& code, const std::string& pointer,
                       const std::string& message, const std::string& hint) {
  xborder::Diagnostics diags;
  diags.error(code, "<arguments>", pointer, message, hint);
  fail(diags);
}

// Countries and cloud regions, read once per process (read-only afterwards).
std::shared_ptr<const xborder::ReferenceData> reference_data() {
  static std::mutex mutex;
  static std::shared_ptr<const xborder::ReferenceData> loaded;
  const std::lock_guard lock(mutex);
  if (!loaded) {
    xborder::Diagnostics diags;
    auto ref = xborder::ReferenceData::load(xborder::ReferenceData::default_dir(), diags);
    if (!ref) fail(diags);
    loaded = std::make_shared<const xborder::ReferenceData>(std::move(*ref));
  }
  return loaded;
}

xborder::Date today() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return xborder::Date::from_days(static_cast<int>(now.time_since_epoch().count()));
}

// `at` as YYYY-MM-DD, or today (UTC) as the CLI does.
xborder::Date date_arg(const std::optional<std::string>& text, const std::string& name) {
  if (!text) return today();
  auto d = xborder::Date::parse(*text);
  if (!d) fail("XB-PY-001", "/" + name, "`" + *text + "` is not a date", "write YYYY-MM-DD");
  return *d;
}

// A rule base as `--rules DIR --places … --policies …` loads it. Immutable once built.
class RuleSet {
 public:
  RuleSet(std::optional<std::filesystem::path> dir, std::vector<std::string> places,
          std::vector<std::filesystem::path> policies)
      : reference_(reference_data()),
        dir_(dir ? std::move(*dir) : xborder::default_rules_dir()),
        places_(std::move(places)),
        policies_(std::move(policies)) {
    auto loaded = xborder::load_rule_base(dir_, reference_->country_codes(), places_, policies_);
    if (!loaded.rules) fail(loaded.diagnostics);
    warnings_ = diagnostics_json(loaded.diagnostics);
    rules_ = std::make_shared<const xborder::RuleBase>(std::move(*loaded.rules));
  }

  [[nodiscard]] const xborder::RuleBase& rules() const { return *rules_; }
  [[nodiscard]] const xborder::ReferenceData& reference() const { return *reference_; }
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
  [[nodiscard]] const std::vector<std::string>& places() const { return places_; }
  [[nodiscard]] const std::vector<std::filesystem::path>& policies() const { return policies_; }
  [[nodiscard]] std::string warnings() const { return warnings_.dump(); }
  [[nodiscard]] std::vector<std::string> loaded_places() const {
    std::vector<std::string> out;
    for (const auto& pack : rules_->packs) out.push_back(pack.place.id);
    return out;
  }

 private:
  std::shared_ptr<const xborder::ReferenceData> reference_;
  std::filesystem::path dir_;
  std::vector<std::string> places_;
  std::vector<std::filesystem::path> policies_;
  std::shared_ptr<const xborder::RuleBase> rules_;
  Json warnings_;
};

// A validated transfer model. Immutable once built, so threads may check it at once.
class Model {
 public:
  Model(xborder::ModelLoadResult loaded, std::string file)
      : reference_(reference_data()), file_(std::move(file)) {
    if (!loaded.model) fail(loaded.diagnostics);
    warnings_ = diagnostics_json(loaded.diagnostics);
    model_ = std::make_shared<const xborder::TransferModel>(std::move(*loaded.model));
  }

  [[nodiscard]] const xborder::TransferModel& model() const { return *model_; }
  [[nodiscard]] const xborder::ReferenceData& reference() const { return *reference_; }
  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] const std::string& name() const { return model_->name; }
  [[nodiscard]] std::string warnings() const { return warnings_.dump(); }
  [[nodiscard]] py::dict counts() const {
    py::dict d;
    d["parties"] = model_->parties.size();
    d["systems"] = model_->systems.size();
    d["datasets"] = model_->datasets.size();
    d["flows"] = model_->flows.size();
    return d;
  }

 private:
  std::shared_ptr<const xborder::ReferenceData> reference_;
  std::shared_ptr<const xborder::TransferModel> model_;
  std::string file_;
  Json warnings_;
};

std::shared_ptr<Model> load_model_file(const std::filesystem::path& file) {
  const py::gil_scoped_release release;
  auto ref = reference_data();
  return std::make_shared<Model>(xborder::load_model_files({file}, *ref), file.generic_string());
}

// `label` stands for the file in diagnostics ("<string>", "<dict>"); the text is JSON or YAML.
std::shared_ptr<Model> load_model_text(const std::string& text, const std::string& label) {
  const py::gil_scoped_release release;
  auto ref = reference_data();
  xborder::Diagnostics diags;
  auto doc = xborder::parse_model_document(text, label, diags);
  if (!doc) fail(diags);
  auto loaded = xborder::load_model_documents({*doc}, *ref);
  loaded.diagnostics.append(diags);
  return std::make_shared<Model>(std::move(loaded), label);
}

// A model file's document as JSON text (YAML converted as the loader reads it), for
// `Model.document`.
std::string model_document_json(const std::filesystem::path& file) {
  xborder::Diagnostics diags;
  auto doc = xborder::read_model_document(file, diags);
  if (!doc) fail(diags);
  return doc->json.dump();
}

std::vector<xborder::Regime> resolve_regimes(const RuleSet& rules,
                                             const std::vector<std::string>& texts,
                                             xborder::Date at,
                                             const xborder::RegimeSelection& selection) {
  xborder::Diagnostics diags;
  std::vector<xborder::Regime> out;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (auto r = xborder::resolve_regime(rules.rules(), texts[i], at,
                                         "/regimes/" + std::to_string(i), diags, selection))
      out.push_back(std::move(*r));
  }
  if (diags.has_errors()) fail(diags);
  return out;
}

// The check document `check --format json` writes, with `regimes`/`regime_disagreements` when
// regimes are given.
std::string check(const Model& model, const RuleSet& rules,
                  const std::optional<std::string>& at_text,
                  const std::vector<std::string>& regime_texts) {
  const py::gil_scoped_release release;
  const xborder::Date at = date_arg(at_text, "at");
  if (regime_texts.size() == 1)
    fail("XB-PY-002", "/regimes", "`regimes` needs two regimes or more", "give e.g. ['EU', 'JP']");
  const auto regimes = resolve_regimes(
      rules, regime_texts, at,
      xborder::RegimeSelection{{"personal_data"}, model.reference().country_codes()});
  xborder::PathChecker checker(model.model(), rules.rules());
  const xborder::CheckResult result = checker.check(at);
  Json extra = Json::object();
  if (!regimes.empty()) {
    extra["regimes"] = xborder::regimes_to_json(regimes);
    extra["regime_disagreements"] =
        xborder::regime_disagreements_to_json(xborder::regime_disagreements(result, regimes));
  }
  std::ostringstream out;
  xborder::write_check_result_json(
      result, xborder::ReportContext{model.file(), model.name(), rules.dir().generic_string()},
      extra, out);
  return out.str();
}

// The transfer graph with its implicit edges: JSON (`graph --format json`) or Graphviz dot.
std::string graph(const Model& model, const RuleSet& rules, const std::string& format) {
  const py::gil_scoped_release release;
  if (format != "json" && format != "dot")
    fail("XB-PY-002", "/format", "unknown graph format `" + format + "`", "use json or dot");
  const xborder::PathChecker checker(model.model(), rules.rules());
  return format == "dot" ? xborder::graph_to_dot(checker.graph())
                         : xborder::graph_to_json(checker.graph()).dump();
}

std::string report(const Model& model, const RuleSet& rules,
                   const std::optional<std::string>& at_text, const std::string& format) {
  const py::gil_scoped_release release;
  static const std::vector<std::string> kFormats = {"html",        "md",  "sarif", "csv",
                                                    "appi-notice", "tia", "dpv",   "json"};
  if (std::find(kFormats.begin(), kFormats.end(), format) == kFormats.end())
    fail("XB-PY-002", "/format", "unknown report format `" + format + "`",
         "use one of html, md, sarif, csv, appi-notice, tia, dpv, json");
  const xborder::Date at = date_arg(at_text, "at");
  xborder::PathChecker checker(model.model(), rules.rules());
  const auto result = checker.check(at);
  const auto input = xborder::make_report_input(
      result, xborder::ReportContext{model.file(), model.name(), rules.dir().generic_string()},
      checker.graph(), model.model(), model.reference());
  // SARIF regions quote the model file; a model given as a string or dict has none.
  return xborder::render_report(input, format, [](const std::string& file) {
    xborder::Diagnostics ignored;
    return xborder::read_input_file(file, ignored, "XB-PY").value_or("");
  });
}

struct CompareArgs {
  std::vector<std::string> regimes;
  std::optional<std::string> at;
  std::string scope;
  std::optional<std::string> frame;
  bool basis_only = false;
  std::vector<std::string> categories = {"personal_data"};
  std::size_t max_cells = 500;
  bool detail = false;
  std::vector<std::pair<std::size_t, std::string>> wheres;  // 1-based regime position, condition
};

std::string compare(const RuleSet& rules, const CompareArgs& a) {
  const py::gil_scoped_release release;
  if (a.regimes.size() < 2)
    fail("XB-PY-002", "/regimes", "`compare` needs at least two regimes", "give e.g. ['EU', 'JP']");
  if (a.max_cells < 1 || a.max_cells > 100'000)
    fail("XB-PY-002", "/max_cells", "`max_cells` is 1 to 100000", "the CLI's limit");
  const xborder::Date at = date_arg(a.at, "at");
  xborder::CompareOptions options;
  options.scope = a.scope;
  options.basis_only = a.basis_only;
  options.max_cells = a.max_cells;
  options.detail = a.detail;
  options.country_codes = rules.reference().country_codes();
  if (a.frame) {
    auto f = xborder::parse_enum<xborder::CompareFrame>(*a.frame);
    if (!f) fail("XB-PY-002", "/frame", "unknown frame `" + *a.frame + "`", "use home or shared");
    options.frame = *f;
  }
  for (const auto& c : a.categories) {
    const auto& known = xborder::place_categories();
    if (std::find(known.begin(), known.end(), c) == known.end())
      fail("XB-PY-002", "/categories", "unknown place category `" + c + "`",
           xborder::suggestion_hint(c, known));
  }
  const xborder::RegimeSelection selection{a.categories, rules.reference().country_codes()};
  auto resolved = resolve_regimes(rules, a.regimes, at, selection);
  for (const auto& [n, expr] : a.wheres) {
    if (n < 1 || n > resolved.size())
      fail("XB-PY-002", "/where", "no regime at position " + std::to_string(n),
           "positions count from 1");
    resolved[n - 1].where = expr;
    resolved[n - 1].label += "#" + std::to_string(n);  // as the CLI: two sides of one regime
  }
  xborder::Diagnostics diags;
  auto result = xborder::compare_regimes(rules.rules(), resolved, options, diags);
  if (!result) fail(diags);
  return xborder::compare_result_to_json(*result).dump();
}

// `simulate SCENARIO.json`: the replay, and with runs > 0 Monte Carlo and the exact answer.
std::string simulate(const std::filesystem::path& file, const RuleSet& all_rules, std::size_t runs,
                     std::uint64_t seed, const std::optional<std::string>& horizon,
                     unsigned threads) {
  const py::gil_scoped_release release;
  if (runs > 1'000'000) fail("XB-PY-002", "/runs", "`runs` is 0 to 1000000", "the CLI's limit");
  auto loaded = xborder::load_scenario(file, all_rules.reference(), all_rules.rules());
  if (!loaded.scenario) fail(loaded.diagnostics);
  xborder::Scenario& scenario = *loaded.scenario;
  if (horizon) {
    auto end = xborder::add_horizon(scenario.start, *horizon);
    if (!end)
      fail("XB-PY-001", "/horizon", "`" + *horizon + "` is not a horizon",
           "write a number and a unit: 5y, 18m or 365d");
    scenario.end = *end;
  }
  // As the CLI: the scenario's own places restrict the rule base.
  std::optional<RuleSet> only;
  if (!scenario.places.empty())
    only.emplace(all_rules.dir(), scenario.places, all_rules.policies());
  const xborder::RuleBase& rules = only ? only->rules() : all_rules.rules();
  xborder::SimulationReport report;
  report.scenario_file = file.generic_string();
  report.scenario = &scenario;
  for (const auto& pack : rules.packs) report.places.push_back(pack.place.id);
  std::sort(report.places.begin(), report.places.end());
  xborder::Simulator simulator(scenario, rules, all_rules.reference());
  report.replay = xborder::replay(simulator);
  if (runs > 0) {
    xborder::MonteCarloOptions options;
    options.runs = runs;
    options.seed = seed;
    options.threads = threads;
    report.monte_carlo = xborder::monte_carlo(simulator, options);
    report.analytic = xborder::analytic(simulator, 6);
  }
  return xborder::simulation_to_json(report).dump();
}

std::string rules_list(const RuleSet& rules, const std::optional<std::string>& at_text) {
  const py::gil_scoped_release release;
  const xborder::Date at = date_arg(at_text, "at");
  return xborder::rules_in_force_to_json(xborder::in_force(rules.rules(), at), at).dump();
}

std::string rules_diff(const RuleSet& rules, const std::string& from_text,
                       const std::string& to_text) {
  const py::gil_scoped_release release;
  const xborder::Date from = date_arg(from_text, "from");
  const xborder::Date to = date_arg(to_text, "to");
  return xborder::rule_changes_to_json(xborder::changes_between(rules.rules(), from, to), from, to)
      .dump();
}

// `rules lint`: every defect as a diagnostic; a pack that does not load is linted as the CLI
// does (unknown vocabulary becomes XB-LINT-008, other load errors stay as they are).
std::string rules_lint(const std::optional<std::filesystem::path>& dir_arg,
                       const std::vector<std::string>& places,
                       const std::vector<std::filesystem::path>& policies) {
  const py::gil_scoped_release release;
  auto ref = reference_data();
  const std::filesystem::path dir = dir_arg ? *dir_arg : xborder::default_rules_dir();
  auto loaded = xborder::load_rule_base(dir, ref->country_codes(), places, policies);
  xborder::Diagnostics diags;
  std::size_t rule_count = 0;
  std::size_t pack_count = 0;
  if (!loaded.rules) {
    diags.append(xborder::lint_load_errors(loaded.diagnostics));
  } else {
    diags.append(loaded.diagnostics);
    diags.append(xborder::lint(*loaded.rules, today()));
    diags.append(xborder::vector_coverage(*loaded.rules, dir));
    rule_count = loaded.rules->rules.size();
    pack_count = loaded.rules->packs.size();
  }
  return Json{{"loaded", loaded.rules.has_value()},
              {"rules", rule_count},
              {"packs", pack_count},
              {"diagnostics", diagnostics_json(diags)}}
      .dump();
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "The compiled core of xborder; use the `xborder` package, not this module.";

  // Diagnostics become xborder.ModelError (its fields: code, file, pointer, message, hint).
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      const py::object errors = py::module_::import("xborder._errors");
      const py::object diagnostics =
          py::module_::import("json").attr("loads")(e.diagnostics.dump());
      const py::object exc = errors.attr("ModelError")(e.summary, diagnostics);
      PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
    }
  });

  m.attr("tool_version") = xborder::kToolVersion;
  m.attr("check_schema_version") = xborder::kCheckSchemaVersion;
  m.attr("compare_schema_version") = xborder::kCompareSchemaVersion;
  m.attr("simulate_schema_version") = xborder::kSimulateSchemaVersion;
  // The source tree this module was built from: its rule packs, scenarios and reference data.
  m.attr("source_dir") = XBORDER_SOURCE_DIR;
  m.def("default_rules_dir", [] { return xborder::default_rules_dir(); });
  m.def("default_data_dir", [] { return xborder::ReferenceData::default_dir(); });
  m.def("country_codes", [] { return reference_data()->country_codes(); });

  py::class_<RuleSet, std::shared_ptr<RuleSet>>(m, "RuleSet")
      .def(py::init([](std::optional<std::filesystem::path> dir, std::vector<std::string> places,
                       std::vector<std::filesystem::path> policies) {
             const py::gil_scoped_release release;
             return std::make_shared<RuleSet>(std::move(dir), std::move(places),
                                              std::move(policies));
           }),
           py::arg("dir") = py::none(), py::arg("places") = std::vector<std::string>{},
           py::arg("policies") = std::vector<std::filesystem::path>{})
      .def_property_readonly("dir", &RuleSet::dir)
      .def_property_readonly("places", &RuleSet::places)
      .def_property_readonly("policies", &RuleSet::policies)
      .def_property_readonly("loaded_places", &RuleSet::loaded_places)
      .def_property_readonly("warnings_json", &RuleSet::warnings);

  py::class_<Model, std::shared_ptr<Model>>(m, "Model")
      .def_property_readonly("file", &Model::file)
      .def_property_readonly("name", &Model::name)
      .def_property_readonly("warnings_json", &Model::warnings)
      .def_property_readonly("counts", &Model::counts);

  m.def("load_model_file", &load_model_file, py::arg("file"));
  m.def("load_model_text", &load_model_text, py::arg("text"), py::arg("label"));
  m.def("model_document_json", &model_document_json, py::arg("file"));
  m.def("check", &check, py::arg("model"), py::arg("rules"), py::arg("at"), py::arg("regimes"));
  m.def("graph", &graph, py::arg("model"), py::arg("rules"), py::arg("format"));
  m.def("report", &report, py::arg("model"), py::arg("rules"), py::arg("at"), py::arg("format"));
  m.def(
      "compare",
      [](const RuleSet& rules, std::vector<std::string> regimes, std::optional<std::string> at,
         std::string scope, std::optional<std::string> frame, bool basis_only,
         std::vector<std::string> categories, std::size_t max_cells, bool detail,
         std::vector<std::pair<std::size_t, std::string>> wheres) {
        return compare(rules, CompareArgs{std::move(regimes), std::move(at), std::move(scope),
                                          std::move(frame), basis_only, std::move(categories),
                                          max_cells, detail, std::move(wheres)});
      },
      py::arg("rules"), py::arg("regimes"), py::arg("at"), py::arg("scope"), py::arg("frame"),
      py::arg("basis_only"), py::arg("categories"), py::arg("max_cells"), py::arg("detail"),
      py::arg("wheres"));
  m.def("simulate", &simulate, py::arg("file"), py::arg("rules"), py::arg("runs"), py::arg("seed"),
        py::arg("horizon"), py::arg("threads"));
  m.def("rules_list", &rules_list, py::arg("rules"), py::arg("at"));
  m.def("rules_diff", &rules_diff, py::arg("rules"), py::arg("from_date"), py::arg("to_date"));
  m.def("rules_lint", &rules_lint, py::arg("dir"), py::arg("places"), py::arg("policies"));
}
