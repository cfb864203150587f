#include "model/choices.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "model/model_loader.hpp"

namespace xborder {
namespace {

// The keys an option may set on each kind of target (besides `safeguards` and `drop`).
const std::vector<std::string>& settable_keys(ChoiceTarget t) {
  static const std::vector<std::string> system{"regions", "runs_on", "operator",
                                               "operator_handles_data", "measures"};
  static const std::vector<std::string> flow{"measures"};
  static const std::vector<std::string> access{"clear_text", "country"};
  switch (t) {
    case ChoiceTarget::kSystem:
      return system;
    case ChoiceTarget::kFlow:
      return flow;
    case ChoiceTarget::kRemoteAccess:
      return access;
  }
  return system;
}

bool may_add_safeguards(ChoiceTarget t) {
  return t != ChoiceTarget::kSystem;
}

std::optional<double> non_negative_number(ObjectReader& r, std::string_view key, bool required,
                                          const ReadContext& ctx) {
  const Json* v = r.get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    ctx.error("006", r.pointer(key),
              "`" + std::string(key) + "` must be a number, found " + json_type_name(*v));
    return std::nullopt;
  }
  const double x = v->get<double>();
  if (!std::isfinite(x) || x < 0) {
    ctx.error("065", r.pointer(key), "`" + std::string(key) + "` cannot be negative",
              "give a number of zero or more, in the unit every option of the model uses");
    return std::nullopt;
  }
  return x;
}

std::size_t existing_safeguards(const Json& document, const std::string& target_pointer) {
  const Json::json_pointer p(target_pointer + "/safeguards");
  if (!document.contains(p)) return 0;
  const Json& s = document.at(p);
  return s.is_array() ? s.size() : 0;
}

// Where a value a selection writes came from: prefixes in the patched document and in the file.
struct PointerMap {
  std::vector<std::pair<std::string, std::string>> prefixes;  // patched → option
  [[nodiscard]] std::optional<std::string> source(const std::string& pointer) const {
    for (const auto& [to, from] : prefixes) {
      if (pointer == to) return from;
      if (pointer.size() > to.size() && pointer.compare(0, to.size(), to) == 0 &&
          pointer[to.size()] == '/')
        return from + pointer.substr(to.size());
    }
    return std::nullopt;
  }
};

PointerMap option_pointers(const Json& document, const ChoicePoint& point,
                           const ChoiceOption& option) {
  PointerMap map;
  for (auto it = option.set.begin(); it != option.set.end(); ++it)
    map.prefixes.emplace_back(point.target_pointer + "/" + it.key(),
                              option.pointer + "/" + it.key());
  const std::size_t n = existing_safeguards(document, point.target_pointer);
  for (std::size_t k = 0; k < option.add_safeguards.size(); ++k)
    map.prefixes.emplace_back(point.target_pointer + "/safeguards/" + std::to_string(n + k),
                              option.pointer + "/safeguards/" + std::to_string(k));
  return map;
}

// The array and the index of an array element's pointer ("/flows/3" → {"/flows", 3}).
std::pair<std::string, long long> split_index(const std::string& pointer) {
  const auto slash = pointer.rfind('/');
  if (slash == std::string::npos) return {pointer, -1};
  try {
    return {pointer.substr(0, slash), std::stoll(pointer.substr(slash + 1))};
  } catch (const std::exception&) {
    return {pointer, -1};
  }
}

class ChoiceReader {
 public:
  ChoiceReader(const Json& document, const TransferModel& model, const ReadContext& ctx)
      : document_(document), model_(model), ctx_(ctx) {}

  std::vector<ChoicePoint> read(const Json& choices) {
    if (!choices.is_array()) {
      ctx_.error("006", "/choices", "`choices` must be an array, found " + json_type_name(choices));
      return {};
    }
    for (std::size_t i = 0; i < choices.size(); ++i)
      read_point(choices[i], "/choices/" + std::to_string(i));
    check_conflicts();
    return std::move(points_);
  }

 private:
  void read_point(const Json& j, const std::string& ptr) {
    ObjectReader r(j, ptr, ctx_);
    if (!r.ok()) return;
    ChoicePoint p;
    p.pointer = ptr;
    p.id = r.identifier("id", true).value_or("");
    p.name = r.string("name", false).value_or(p.id);
    if (!p.id.empty() && !point_ids_.insert(p.id).second)
      ctx_.error("014", r.pointer("id"), "duplicate choice point id `" + p.id + "`");
    const bool has_system = r.has("system");
    const bool has_flow = r.has("flow");
    const bool has_access = r.has("remote_access");
    bool target_ok = true;
    if (int(has_system) + int(has_flow) + int(has_access) != 1) {
      ctx_.error("060", ptr,
                 "a choice point names exactly one of `system`, `flow`, `remote_access`",
                 "one choice point per thing chosen; several points may concern the same system");
      target_ok = false;
    }
    if (has_system) {
      p.target = ChoiceTarget::kSystem;
      p.system = r.identifier("system", true).value_or("");
      target_ok = resolve_system(p, r.pointer("system")) && target_ok;
    } else if (has_flow) {
      p.target = ChoiceTarget::kFlow;
      p.flow = r.identifier("flow", true).value_or("");
      target_ok = resolve_flow(p, r.pointer("flow")) && target_ok;
    } else if (has_access) {
      p.target = ChoiceTarget::kRemoteAccess;
      const Json* a = r.get("remote_access", true);
      ObjectReader ar(*a, r.pointer("remote_access"), ctx_);
      if (ar.ok()) {
        p.system = ar.identifier("system", true).value_or("");
        p.party = ar.identifier("party", true).value_or("");
        target_ok = ar.finish() && target_ok;
        target_ok = target_ok && resolve_access(p, ar);
      } else {
        target_ok = false;
      }
    }
    std::set<std::string> option_ids;
    r.array("options", true, [&](const Json& oj, const std::string& optr) {
      if (auto o = read_option(p, oj, optr, target_ok)) {
        if (!o->id.empty() && !option_ids.insert(o->id).second)
          ctx_.error("014", optr + "/id",
                     "duplicate option id `" + o->id + "` in choice `" + p.id + "`");
        p.options.push_back(std::move(*o));
      }
    });
    const Json* options = j.is_object() && j.contains("options") ? &j["options"] : nullptr;
    if (options && options->is_array() && options->empty())
      ctx_.error("066", r.pointer("options"), "choice point `" + p.id + "` has no options",
                 "list at least one option; an option without changes keeps the model as written");
    r.finish();
    points_.push_back(std::move(p));
  }

  bool resolve_system(ChoicePoint& p, const std::string& ptr) {
    if (const System* s = model_.system(p.system)) {
      p.target_pointer = s->pointer;
      return true;
    }
    std::vector<std::string> ids;
    for (const auto& s : model_.systems) ids.push_back(s.id);
    ctx_.error("061", ptr, "choice point names an unknown system `" + p.system + "`",
               suggestion_hint(p.system, ids));
    return false;
  }

  bool resolve_flow(ChoicePoint& p, const std::string& ptr) {
    for (const auto& f : model_.flows) {
      if (f.id == p.flow) {
        p.target_pointer = f.pointer;
        return true;
      }
    }
    std::vector<std::string> ids;
    for (const auto& f : model_.flows) ids.push_back(f.id);
    ctx_.error("061", ptr, "choice point names an unknown flow `" + p.flow + "`",
               suggestion_hint(p.flow, ids));
    return false;
  }

  bool resolve_access(ChoicePoint& p, ObjectReader& ar) {
    const System* s = model_.system(p.system);
    if (!s) {
      std::vector<std::string> ids;
      for (const auto& sys : model_.systems) ids.push_back(sys.id);
      ctx_.error("061", ar.pointer("system"),
                 "choice point names an unknown system `" + p.system + "`",
                 suggestion_hint(p.system, ids));
      return false;
    }
    std::vector<const RemoteAccess*> matches;
    std::vector<std::string> parties;
    for (const auto& a : s->remote_access) {
      parties.push_back(a.party);
      if (a.party == p.party) matches.push_back(&a);
    }
    if (matches.size() == 1) {
      p.target_pointer = matches.front()->pointer;
      return true;
    }
    if (matches.empty()) {
      ctx_.error("061", ar.pointer("party"),
                 "system `" + p.system + "` has no remote access by `" + p.party + "`",
                 parties.empty() ? std::string("the system has no `remote_access` entries")
                                 : suggestion_hint(p.party, parties));
    } else {
      ctx_.error("061", ar.pointer("party"),
                 "system `" + p.system + "` has several remote access entries by `" + p.party + "`",
                 "merge them into one entry, or model them as separate parties");
    }
    return false;
  }

  std::optional<ChoiceOption> read_option(const ChoicePoint& p, const Json& j,
                                          const std::string& ptr, bool target_ok) {
    ObjectReader r(j, ptr, ctx_);
    if (!r.ok()) return std::nullopt;
    ChoiceOption o;
    o.pointer = ptr;
    o.id = r.identifier("id", true).value_or("");
    o.cost = non_negative_number(r, "cost", true, ctx_).value_or(0);
    o.latency_ms = non_negative_number(r, "latency_ms", false, ctx_);
    o.note = r.string("note", false).value_or("");
    for (const auto& key : settable_keys(p.target)) {
      if (const Json* v = r.get(key, false)) o.set[key] = *v;
    }
    if (may_add_safeguards(p.target)) {
      if (const Json* v = r.get("safeguards", false)) {
        if (v->is_array()) {
          o.add_safeguards = *v;
        } else {
          ctx_.error("006", r.pointer("safeguards"),
                     "`safeguards` of an option must be an array of safeguards, found " +
                         json_type_name(*v),
                     "the option adds these safeguards to what the model already lists");
        }
      }
      o.drop = r.boolean("drop", false).value_or(false);
    }
    r.finish();
    if (target_ok && !o.add_safeguards.empty() && p.target == ChoiceTarget::kFlow) {
      const Json::json_pointer sp(p.target_pointer + "/safeguards");
      if (document_.contains(sp) && document_.at(sp).is_string()) {
        ctx_.error("063", r.pointer("safeguards"),
                   "flow `" + p.flow + "` has unknown safeguards: an option cannot add to them",
                   "list the flow's known safeguards in the model first");
      }
    }
    return o;
  }

  // Two points writing the same key of one target, or able to add the same safeguard type, would
  // make some selections contradict each other.
  void check_conflicts() {
    std::map<std::pair<std::string, std::string>, std::string> writers;  // (target, key) → point
    for (const auto& p : points_) {
      if (p.target_pointer.empty()) continue;
      std::set<std::string> keys;
      for (const auto& o : p.options) {
        for (auto it = o.set.begin(); it != o.set.end(); ++it) keys.insert(it.key());
        for (const auto& s : o.add_safeguards) {
          if (s.is_object() && s.contains("type") && s["type"].is_string() &&
              s["type"].get<std::string>() != "derogation")
            keys.insert("safeguard " + s["type"].get<std::string>());
        }
      }
      for (const auto& key : keys) {
        auto [it, fresh] = writers.emplace(std::pair{p.target_pointer, key}, p.id);
        if (fresh) continue;
        ctx_.error("062", p.pointer,
                   "choice points `" + it->second + "` and `" + p.id + "` both choose `" + key +
                       "` of " + p.target_label(),
                   "make them one choice point whose options combine both");
      }
    }
  }

  const Json& document_;
  const TransferModel& model_;
  const ReadContext& ctx_;
  std::vector<ChoicePoint> points_;
  std::set<std::string> point_ids_;
};

// Loads the model with each option applied alone; reports what is wrong with what it writes.
void validate_options(const Json& document, const std::vector<ChoicePoint>& points,
                      const std::filesystem::path& file, const ReferenceData& reference,
                      Diagnostics& diags) {
  for (std::size_t i = 0; i < points.size(); ++i) {
    for (std::size_t j = 0; j < points[i].options.size(); ++j) {
      const ChoiceOption& option = points[i].options[j];
      if (option.changes_nothing()) continue;
      ChoiceSelection selection(points.size(), kKeepAsWritten);
      selection[i] = j;
      Json patched;
      try {
        patched = document.patch(selection_patch(document, points, selection));
      } catch (const Json::exception& e) {
        diags.error("XB-MODEL-067", file, option.pointer,
                    "option `" + option.id + "` cannot be applied to the model: " + e.what());
        continue;
      }
      const auto loaded = load_model_json(patched, file, reference);
      const PointerMap map = option_pointers(document, points[i], option);
      for (const auto& d : loaded.diagnostics.items()) {
        if (d.severity != Severity::kError || is_combination_code(d.code)) continue;
        Diagnostic out = d;
        if (auto source = map.source(d.pointer)) {
          out.pointer = *source;
        } else {
          out.pointer = option.pointer;
          out.message = "with option `" + option.id + "` of choice `" + points[i].id +
                        "` applied, " + d.pointer + ": " + d.message;
        }
        diags.add(std::move(out));
      }
    }
  }
}

}  // namespace

std::string ChoicePoint::target_label() const {
  switch (target) {
    case ChoiceTarget::kSystem:
      return "system `" + system + "`";
    case ChoiceTarget::kFlow:
      return "flow `" + flow + "`";
    case ChoiceTarget::kRemoteAccess:
      return "remote access of `" + party + "` to `" + system + "`";
  }
  return id;
}

bool is_combination_code(const std::string& code) {
  return code == "XB-MODEL-047" || code == "XB-MODEL-048" || code == "XB-MODEL-050" ||
         code == "XB-MODEL-051";
}

std::vector<ChoicePoint> read_choices(const Json& document, const TransferModel& model,
                                      const std::filesystem::path& file,
                                      const ReferenceData& reference, Diagnostics& diags,
                                      bool validate) {
  if (!document.is_object() || !document.contains("choices")) return {};
  Diagnostics own;
  const ReadContext ctx{file, &own, "XB-MODEL"};
  ChoiceReader reader(document, model, ctx);
  auto points = reader.read(document["choices"]);
  if (!own.has_errors() && validate) validate_options(document, points, file, reference, own);
  diags.append(own);
  return points;
}

Json selection_patch(const Json& document, const std::vector<ChoicePoint>& points,
                     const ChoiceSelection& selection) {
  struct TargetEdit {
    std::map<std::string, Json> set;
    std::vector<Json> safeguards;
    bool drop = false;
  };
  std::map<std::string, TargetEdit> edits;  // by target pointer
  for (std::size_t i = 0; i < points.size() && i < selection.size(); ++i) {
    if (selection[i] == kKeepAsWritten) continue;
    const ChoiceOption& o = points[i].options.at(selection[i]);
    TargetEdit& e = edits[points[i].target_pointer];
    for (auto it = o.set.begin(); it != o.set.end(); ++it) e.set[it.key()] = it.value();
    for (const auto& s : o.add_safeguards) e.safeguards.push_back(s);
    e.drop = e.drop || o.drop;
  }
  Json patch = Json::array();
  std::vector<std::tuple<std::string, long long, std::string>> removals;
  for (const auto& [target, e] : edits) {
    if (e.drop) {
      auto [array, index] = split_index(target);
      removals.emplace_back(array, index, target);
      continue;
    }
    for (const auto& [key, value] : e.set)
      patch.push_back({{"op", "add"}, {"path", target + "/" + key}, {"value", value}});
    if (e.safeguards.empty()) continue;
    const Json::json_pointer sp(target + "/safeguards");
    if (document.contains(sp) && document.at(sp).is_array()) {
      for (const auto& s : e.safeguards)
        patch.push_back({{"op", "add"}, {"path", target + "/safeguards/-"}, {"value", s}});
    } else {
      patch.push_back(
          {{"op", "add"}, {"path", target + "/safeguards"}, {"value", Json(e.safeguards)}});
    }
  }
  // Later elements of one array first, so that no removal moves another's index.
  std::sort(removals.begin(), removals.end(), [](const auto& a, const auto& b) {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) < std::get<0>(b);
    return std::get<1>(a) > std::get<1>(b);
  });
  for (const auto& r : removals) patch.push_back({{"op", "remove"}, {"path", std::get<2>(r)}});
  if (document.is_object() && document.contains("choices"))
    patch.push_back({{"op", "remove"}, {"path", "/choices"}});
  return patch;
}

}  // namespace xborder
