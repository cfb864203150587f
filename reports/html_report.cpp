// The HTML report: one self-contained, deterministic file rendered from the report input document
// (report_input.hpp). Layout of the transfer graph is computed here (layered by BFS depth), so the
// page needs no script to be read; the small inline script only adds the language switch, the
// filters and a self-test (run with the `#selftest` fragment, used by tests/browser).
#include "reports/html_report.hpp"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <vector>

#include "model/model_sources.hpp"
#include "reports/html_assets.hpp"
#include "reports/input_view.hpp"
#include "reports/legal_drafts.hpp"
#include "reports/plan_section.hpp"
#include "reports/register.hpp"
#include "reports/report_input.hpp"

namespace xborder {
namespace {

using input::array_member;
using input::member;
using input::str;
using nlohmann::json;

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Any JSON value as plain text: strings as they are, null as empty, the rest as JSON.
std::string text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

std::string get(const json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it == j.end() ? "" : text(*it);
}

// Cuts a UTF-8 string to at most `max` code points, adding an ellipsis when cut.
std::string truncate(const std::string& s, std::size_t max) {
  std::size_t points = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (points == max) return s.substr(0, i) + "…";
      ++points;
    }
  }
  return s;
}

// A UI label in both languages; CSS on <html lang> shows one.
std::string L(std::string_view en, std::string_view ja) {
  return "<span class=\"en\">" + esc(en) + "</span><span class=\"ja\" lang=\"ja\">" + esc(ja) +
         "</span>";
}

// A bilingual value from the input ({en, ja}); falls back to whichever exists, or a plain string.
std::string L(const json& v) {
  if (v.is_object()) {
    const std::string en = get(v, "en"), ja = get(v, "ja");
    return L(en.empty() ? ja : en, ja.empty() ? en : ja);
  }
  return esc(text(v));
}

std::string verdict_label(const std::string& v) {
  if (v == "violation") return L("violation", "違反");
  if (v == "undetermined") return L("undetermined", "判定不能");
  if (v == "compliant") return L("compliant", "適合");
  return esc(v);
}

std::string badge(const std::string& verdict) {
  return "<span class=\"badge " + esc(verdict) + "\">" + verdict_label(verdict) + "</span>";
}

int verdict_rank(const std::string& v) {
  if (v == "violation") return 2;
  if (v == "undetermined") return 1;
  return 0;
}

// Generic rendering of JSON from the other report builders (drafts, register): strings escaped,
// {en, ja} as bilingual, arrays as comma lists, objects as key: value.
std::string value_html(const json& v) {
  if (v.is_array()) {
    std::string out;
    for (const auto& item : v) {
      if (!out.empty()) out += ", ";
      out += value_html(item);
    }
    return out;
  }
  if (v.is_object()) {
    if (v.contains("en") || v.contains("ja")) return L(v);
    std::string out;
    for (const auto& [k, item] : v.items()) {
      if (!out.empty()) out += "; ";
      out += esc(k) + ": " + value_html(item);
    }
    return out;
  }
  if (v.is_boolean()) return v.get<bool>() ? L("yes", "はい") : L("no", "いいえ");
  return esc(text(v));
}

std::string list_html(const json& v, const char* cls = "tight") {
  if (!v.is_array() || v.empty()) return "<span class=\"muted\">—</span>";
  std::string out = std::string("<ul class=\"") + cls + "\">";
  for (const auto& item : v) out += "<li>" + value_html(item) + "</li>";
  return out + "</ul>";
}

class Renderer {
 public:
  explicit Renderer(const json& input)
      : in_(input),
        check_(member(input, "check")),
        graph_(member(input, "graph")),
        sources_(provenance_from_json(input)) {
    for (const auto& n : array_member(graph_, "nodes")) nodes_[get(n, "id")] = &n;
    for (const auto& p : array_member(check_, "place_details"))
      place_names_[get(p, "id")] = member(p, "name");
    for (const auto& f : array_member(check_, "findings")) {
      const std::string place = get(f, "place");
      finding_places_.insert(place);
      if (!place_names_.count(place)) place_names_[place] = member(f, "place_name");
      mark_path(f);
    }
  }

  std::string render() {
    std::string model_name = get(member(check_, "model"), "name");
    if (model_name.empty()) model_name = get(member(in_, "model"), "name");
    out_ << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         << "<title>xborder — " << esc(model_name) << "</title>\n<style>" << html_assets::kCss
         << "</style>\n</head>\n<body>\n";
    out_ << "<header class=\"top\"><div><p class=\"sub\">"
         << L("Cross-border data transfer report", "越境データ移転レポート") << "</p><h1>"
         << esc(model_name) << "</h1></div>"
         << "<button id=\"lang-switch\" type=\"button\">" << L("日本語", "English")
         << "</button></header>\n";
    summary(model_name);
    plan_section();
    graph_section();
    findings_table();
    finding_details();
    register_section();
    exposure_section();
    notices_section();
    tia_section();
    simulation_section();
    out_ << "<div id=\"selftest\"></div>\n<script>" << html_assets::kScript
         << "</script>\n</body>\n</html>\n";
    return out_.str();
  }

 private:
  const json& in_;
  const json& check_;
  const json& graph_;
  std::vector<std::pair<std::string, Provenance>> sources_;  // model.sources (provenance)
  std::ostringstream out_;
  std::map<std::string, const json*> nodes_;
  std::map<std::string, json> place_names_;
  std::set<std::string> finding_places_;  // the place filter offers only places with findings
  std::map<std::string, int> node_mark_;  // node id -> worst verdict rank on a finding's path
  std::map<std::string, int> edge_mark_;  // "edge|from|to" -> worst verdict rank

  static std::string edge_key(const std::string& id, const std::string& from,
                              const std::string& to) {
    return id + "|" + from + "|" + to;
  }

  void mark_path(const json& f) {
    const int rank = verdict_rank(get(f, "verdict"));
    if (rank == 0) return;
    auto raise = [rank](std::map<std::string, int>& m, const std::string& key) {
      m[key] = std::max(m[key], rank);
    };
    std::string previous;
    for (const auto& step : array_member(f, "path")) {
      const std::string node = get(step, "node");
      raise(node_mark_, node);
      const json& via = member(step, "via");
      if (via.is_object() && !previous.empty())
        raise(edge_mark_, edge_key(get(via, "edge"), previous, node));
      previous = node;
    }
    const json& e = member(f, "edge");
    if (e.is_object()) raise(edge_mark_, edge_key(get(e, "id"), get(e, "from"), get(e, "to")));
  }

  static const char* mark_class(int rank) {
    return rank == 2 ? " violation" : rank == 1 ? " undetermined" : "";
  }

  std::string country(const std::string& code) const {
    if (code.empty()) return "<span class=\"muted\">?</span>";
    const json& c = member(member(in_, "countries"), code.c_str());
    const std::string en = get(c, "name"), ja = get(c, "name_ja");
    if (en.empty() && ja.empty()) return esc(code);
    return L((en.empty() ? ja : en) + " (" + code + ")",
             (ja.empty() ? en : ja) + "（" + code + "）");
  }

  std::string countries(const json& codes) const {
    if (!codes.is_array() || codes.empty()) return "<span class=\"muted\">—</span>";
    std::string out;
    for (const auto& c : codes) out += (out.empty() ? "" : ", ") + country(text(c));
    return out;
  }

  std::string place(const std::string& id) const {
    auto it = place_names_.find(id);
    if (it == place_names_.end() || it->second.is_null()) return "<code>" + esc(id) + "</code>";
    return L(it->second) + " <code>" + esc(id) + "</code>";
  }

  // The citation with a link to its text; `short_at` > 0 cuts the instrument's name (full in a
  // tooltip).
  std::string citation(const json& c, std::size_t short_at = 0) const {
    if (!c.is_object()) return "";
    if (short_at > 0) {
      json cut = c;
      cut["instrument"] = truncate(get(c, "instrument"), short_at);
      return "<span title=\"" + esc(get(c, "instrument")) + "\">" + citation(cut) + "</span>";
    }
    std::string label = get(c, "instrument");
    const std::string article = get(c, "article");
    if (!article.empty()) label = article + (label.empty() ? "" : ", " + label);
    const std::string url = get(c, "url");
    std::string out = esc(label);
    if (!url.empty()) {
      out = "<a href=\"" + esc(url) + "\" rel=\"noreferrer\">" +
            esc(article.empty() ? label : article) + "</a>" +
            (article.empty() ? "" : esc(", " + get(c, "instrument")));
    }
    return out;
  }

  std::string node_name(const std::string& id) const {
    auto it = nodes_.find(id);
    const std::string label = it == nodes_.end() ? "" : get(*it->second, "label");
    return (label.empty() ? "" : esc(label) + " ") + "<code>" + esc(id) + "</code>";
  }

  // ---- summary -------------------------------------------------------------------------------

  void summary(const std::string& model_name) {
    const json& s = member(check_, "summary");
    auto count = [&](const char* key) {
      const json& v = member(s, key);
      return v.is_number_integer() ? v.get<long long>() : 0LL;
    };
    const long long total = count("violations") + count("undetermined") + count("compliant");
    out_ << "<section id=\"summary\"><h2>" << L("Summary", "概要") << "</h2>\n<div class=\"cards\">"
         << "<div class=\"card violation\"><span class=\"n\" id=\"count-violation\">"
         << count("violations") << "</span>" << L("violations", "違反") << "</div>"
         << "<div class=\"card undetermined\"><span class=\"n\" id=\"count-undetermined\">"
         << count("undetermined") << "</span>" << L("undetermined", "判定不能") << "</div>"
         << "<div class=\"card compliant\"><span class=\"n\" id=\"count-compliant\">"
         << count("compliant") << "</span>" << L("compliant", "適合") << "</div>"
         << "<div class=\"card\"><span class=\"n\" id=\"count-total\">" << total << "</span>"
         << L("findings", "検出事項") << "</div>"
         << "<div class=\"card\"><span class=\"n\">" << count("paths") << "</span>"
         << L("paths checked", "検査した経路") << "</div>"
         << "<div class=\"card\"><span class=\"n\">" << count("events_checked") << "</span>"
         << L("events checked", "検査したイベント") << "</div></div>\n<dl class=\"facts\">";
    out_ << "<dt>" << L("Model", "モデル") << "</dt><dd>" << esc(model_name) << "</dd>";
    const std::string file = get(member(in_, "model"), "file");
    if (!file.empty())
      out_ << "<dt>" << L("Model file", "モデルファイル") << "</dt><dd><code>" << esc(file)
           << "</code></dd>";
    out_ << "<dt>" << L("Checked at", "判定日") << "</dt><dd>" << esc(get(check_, "at")) << "</dd>";
    out_ << "<dt>" << L("Places", "適用法域") << "</dt><dd>";
    bool first = true;
    for (const auto& p : array_member(check_, "places")) {
      out_ << (first ? "" : "<br>") << place(text(p));
      first = false;
    }
    out_ << "</dd>";
    const std::string description = get(member(in_, "model"), "description");
    if (!description.empty())
      out_ << "<dt>" << L("Description", "説明") << "</dt><dd>" << esc(description) << "</dd>";
    const std::string tool = get(check_, "tool"), version = get(check_, "schema_version");
    out_ << "<dt>" << L("Produced by", "作成") << "</dt><dd>"
         << esc(tool.empty() ? "xborder" : tool)
         << (version.empty() ? "" : " (" + esc("check result schema " + version) + ")")
         << "</dd></dl>\n";
    const json& warnings = member(check_, "warnings");
    if (warnings.is_array() && !warnings.empty()) {
      out_ << "<h3>" << L("Warnings", "警告") << "</h3>" << list_html(warnings);
    }
    out_ << "</section>\n";
  }

  // ---- graph ---------------------------------------------------------------------------------

  void graph_section() {
    const json& nodes = array_member(graph_, "nodes");
    const json& edges = array_member(graph_, "edges");
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < nodes.size(); ++i) index.emplace(get(nodes[i], "id"), i);
    std::vector<std::vector<std::size_t>> out_edges(nodes.size());
    std::vector<int> incoming(nodes.size(), 0);
    for (const auto& e : edges) {
      auto f = index.find(get(e, "from")), t = index.find(get(e, "to"));
      if (f == index.end() || t == index.end() || f->second == t->second) continue;
      out_edges[f->second].push_back(t->second);
      ++incoming[t->second];
    }
    // Columns by BFS depth from the nodes nothing flows into; nodes only on cycles start new
    // searches. Rows by discovery order.
    std::vector<int> depth(nodes.size(), -1);
    std::vector<std::size_t> order;
    auto bfs = [&](std::deque<std::size_t> queue) {
      while (!queue.empty()) {
        const std::size_t n = queue.front();
        queue.pop_front();
        order.push_back(n);
        for (std::size_t t : out_edges[n]) {
          if (depth[t] < 0) {
            depth[t] = depth[n] + 1;
            queue.push_back(t);
          }
        }
      }
    };
    std::deque<std::size_t> roots;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (incoming[i] == 0) {
        depth[i] = 0;
        roots.push_back(i);
      }
    }
    bfs(roots);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (depth[i] < 0) {
        depth[i] = 0;
        bfs({i});
      }
    }
    constexpr int kW = 236, kH = 50, kColW = 316, kRowH = 72, kMargin = 20;
    std::vector<int> row(nodes.size(), 0);
    std::map<int, int> rows_in_column;
    for (std::size_t n : order) row[n] = rows_in_column[depth[n]]++;
    int columns = 0, max_rows = 0;
    for (const auto& [c, r] : rows_in_column) {
      columns = std::max(columns, c + 1);
      max_rows = std::max(max_rows, r);
    }
    auto x_of = [&](std::size_t n) { return kMargin + depth[n] * kColW; };
    auto y_of = [&](std::size_t n) { return kMargin + row[n] * kRowH; };
    const int width = std::max(columns * kColW - (kColW - kW) + 2 * kMargin + 60, 400);
    const int height = std::max(max_rows * kRowH - (kRowH - kH) + 2 * kMargin, 80);

    out_ << "<section id=\"graph\"><h2>" << L("Transfer graph", "移転グラフ") << "</h2>\n";
    out_ << "<p class=\"sub\">"
         << L("Columns follow the data from where it enters (left). Solid: transfers in the model; "
              "dashed: "
              "implicit transfers the tool derived (hover for why). Red: on the path of a "
              "violation; amber: "
              "undetermined.",
              "列はデータの入口（左）からの深さ。実線はモデル上の移転、破線はツールが導いた暗黙の移"
              "転（ポインタを合わせると理由を表示）。"
              "赤は違反の経路上、黄は判定不能。")
         << "</p>\n<div class=\"legend\">";
    auto legend = [&](const char* cls, bool dashed, std::string label) {
      out_ << "<span><svg width=\"34\" height=\"10\" aria-hidden=\"true\"><line x1=\"2\" y1=\"5\" "
              "x2=\"32\" y2=\"5\" "
           << "class=\"edge " << cls << (dashed ? " implicit" : "") << "\"/></svg> " << label
           << "</span>";
    };
    legend("flow", false, L("flow (explicit)", "フロー（明示）"));
    legend("hosting", true, L("hosting (implicit)", "ホスティング（暗黙）"));
    legend("replication", true, L("replication (implicit)", "複製（暗黙）"));
    legend("remote_access", true, L("remote access (implicit)", "リモートアクセス（暗黙）"));
    legend("violation", false, L("violation path", "違反の経路"));
    legend("undetermined", false, L("undetermined path", "判定不能の経路"));
    out_ << "</div>\n<div class=\"graph-wrap\"><svg class=\"graph\" viewBox=\"0 0 " << width << " "
         << height << "\" width=\"" << width << "\" data-nodes=\"" << nodes.size()
         << "\" role=\"img\" aria-label=\"transfer graph\">\n<defs>";
    const std::pair<const char*, const char*> arrows[] = {
        {"flow", "#5b6470"},          {"hosting", "#2f6fdf"},   {"replication", "#8a3ffc"},
        {"remote_access", "#0f8b8d"}, {"violation", "#c81e1e"}, {"undetermined", "#b77400"}};
    for (const auto& [name, colour] : arrows) {
      out_ << "<marker id=\"arrow-" << name
           << "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
           << "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" "
              "fill=\""
           << colour << "\"/></marker>";
    }
    out_ << "</defs>\n";

    // Edges first so the boxes sit on top; parallel edges between the same nodes are spread.
    std::map<std::pair<std::size_t, std::size_t>, int> parallel_total, parallel_seen;
    for (const auto& e : edges) {
      auto f = index.find(get(e, "from")), t = index.find(get(e, "to"));
      if (f != index.end() && t != index.end()) ++parallel_total[{f->second, t->second}];
    }
    out_ << "<g class=\"edges\">\n";
    for (const auto& e : edges) {
      auto fi = index.find(get(e, "from")), ti = index.find(get(e, "to"));
      if (fi == index.end() || ti == index.end()) continue;
      const std::size_t f = fi->second, t = ti->second;
      const int k = parallel_seen[{f, t}]++, n = parallel_total[{f, t}];
      const double offset = (k - (n - 1) / 2.0) * 8.0;
      const bool implicit = member(e, "implicit").is_boolean() && member(e, "implicit").get<bool>();
      std::string kind = get(e, "kind");
      if (kind.empty()) kind = "flow";
      const int mark = edge_mark_.count(edge_key(get(e, "id"), get(e, "from"), get(e, "to")))
                           ? edge_mark_[edge_key(get(e, "id"), get(e, "from"), get(e, "to"))]
                           : 0;
      const std::string arrow = mark == 2 ? "violation" : mark == 1 ? "undetermined" : kind;
      char d[256];
      double sx, sy, tx, ty, lx, ly;
      if (depth[t] > depth[f]) {
        sx = x_of(f) + kW, sy = y_of(f) + kH / 2.0 + offset, tx = x_of(t) - 2,
        ty = y_of(t) + kH / 2.0 + offset;
        const double c = std::max(40.0, (tx - sx) / 2);
        std::snprintf(d, sizeof d, "M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f", sx, sy, sx + c, sy,
                      tx - c, ty, tx, ty);
        lx = (sx + tx) / 2, ly = (sy + ty) / 2 - 3;
      } else {
        // Same column or backwards: loop out to the right of both boxes.
        sx = x_of(f) + kW, sy = y_of(f) + kH / 2.0 + offset, tx = x_of(t) + kW + 2,
        ty = y_of(t) + kH / 2.0 + offset;
        const double bulge = std::max(sx, tx) + 50;
        std::snprintf(d, sizeof d, "M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f", sx, sy, bulge, sy,
                      bulge, ty, tx, ty);
        lx = bulge - 10, ly = (sy + ty) / 2;
      }
      out_ << "<g class=\"edge-group\" data-edge=\"" << esc(get(e, "id"))
           << "\"><path class=\"edge " << esc(kind) << (implicit ? " implicit" : "")
           << mark_class(mark) << "\" d=\"" << d << "\" marker-end=\"url(#arrow-" << esc(arrow)
           << ")\"><title>" << esc(get(e, "id")) << " — " << esc(get(e, "event"))
           << (implicit ? " (implicit " + esc(kind) + ")" : "");
      const std::string why = get(e, "why");
      if (!why.empty()) out_ << "\n" << esc(why);
      const json& datasets = member(e, "datasets");
      if (datasets.is_array() && !datasets.empty()) out_ << "\ndata: " << value_html(datasets);
      out_ << "</title></path>";
      if (!implicit || mark) {
        char pos[64];
        std::snprintf(pos, sizeof pos, "x=\"%.1f\" y=\"%.1f\"", lx, ly);
        out_ << "<text class=\"elabel\" " << pos << " text-anchor=\"middle\">"
             << esc(get(e, "event")) << "</text>";
      }
      out_ << "</g>\n";
    }
    out_ << "</g>\n<g class=\"nodes\">\n";
    for (std::size_t n = 0; n < nodes.size(); ++n) {
      const json& node = nodes[n];
      const std::string id = get(node, "id"), cc = get(node, "country");
      auto it = node_mark_.find(id);
      const int mark = it == node_mark_.end() ? 0 : it->second;
      const int x = x_of(n), y = y_of(n);
      out_ << "<g class=\"node " << esc(get(node, "kind")) << mark_class(mark) << "\" data-node=\""
           << esc(id) << "\" transform=\"translate(" << x << "," << y << ")\"><title>" << esc(id)
           << "\n"
           << esc(get(node, "label")) << "\n"
           << L("country: ", "国: ") << esc(cc.empty() ? "?" : cc);
      for (const auto& r : array_member(node, "reach")) {
        out_ << "\n"
             << esc(get(r, "authority")) << (member(r, "certain") == json(false) ? "?" : "") << ": "
             << esc(get(r, "why"));
      }
      out_ << "</title><rect class=\"box\" width=\"" << kW << "\" height=\"" << kH
           << "\" rx=\"6\"/>"
           << "<rect class=\"ccbox\" x=\"" << kW - 34
           << "\" y=\"6\" width=\"28\" height=\"16\" rx=\"3\"/>"
           << "<text class=\"cc\" x=\"" << kW - 20 << "\" y=\"18\" text-anchor=\"middle\">"
           << esc(cc.empty() ? "?" : cc) << "</text>"
           << "<text class=\"id\" x=\"8\" y=\"19\">" << esc(truncate(id, 26)) << "</text>"
           << "<text class=\"lbl\" x=\"8\" y=\"38\">" << esc(truncate(get(node, "label"), 36))
           << "</text></g>\n";
    }
    out_ << "</g>\n</svg></div>\n</section>\n";
  }

  // ---- findings table ------------------------------------------------------------------------

  std::string missing_deciding(const json& f) const {
    std::string out;
    const json& missing = member(f, "missing");
    if (missing.is_array() && !missing.empty()) {
      out += "<div><b>" + L("missing", "不足") + ":</b> ";
      bool first = true;
      for (const auto& m : missing) {
        out += (first ? "" : ", ") + std::string("<code>") + esc(text(m)) + "</code>";
        first = false;
      }
      out += "</div>";
    }
    const json& deciding = member(f, "deciding");
    if (deciding.is_array() && !deciding.empty()) {
      out += "<div><b>" + L("deciding", "決め手") + ":</b> ";
      bool first = true;
      for (const auto& d : deciding) {
        out += (first ? "" : "; ") + std::string("<code>") + esc(get(d, "fact")) + "</code>";
        first = false;
      }
      out += "</div>";
    }
    return out.empty() ? "<span class=\"muted\">—</span>" : out;
  }

  std::string party_name(const std::string& id) const {
    for (const auto& p : array_member(member(in_, "model"), "parties")) {
      if (get(p, "id") == id) {
        const std::string name = get(p, "name");
        return (name.empty() ? "" : esc(name) + " ") + "<code>" + esc(id) + "</code>";
      }
    }
    return "<code>" + esc(id) + "</code>";
  }

  std::string dataset_name(const std::string& id) const {
    for (const auto& d : array_member(member(in_, "model"), "datasets")) {
      if (get(d, "id") == id) {
        const std::string name = get(d, "name");
        return (name.empty() ? "" : esc(name) + " ") + "<code>" + esc(id) + "</code>";
      }
    }
    return "<code>" + esc(id) + "</code>";
  }

  void findings_table() {
    const json& findings = array_member(check_, "findings");
    out_ << "<section id=\"findings\"><h2>" << L("Findings", "検出事項") << "</h2>\n";
    out_
        << "<div class=\"filters\"><label>" << L("Verdict", "判定")
        << " <select id=\"filter-verdict\">"
        << "<option value=\"\" data-en=\"all verdicts\" data-ja=\"すべての判定\">all "
           "verdicts</option>"
        << "<option value=\"violation\" data-en=\"violation\" data-ja=\"違反\">violation</option>"
        << "<option value=\"undetermined\" data-en=\"undetermined\" "
           "data-ja=\"判定不能\">undetermined</option>"
        << "<option value=\"compliant\" data-en=\"compliant\" data-ja=\"適合\">compliant</option>"
        << "</select></label><label>" << L("Place", "法域") << " <select id=\"filter-place\">"
        << "<option value=\"\" data-en=\"all places\" data-ja=\"すべての法域\">all places</option>";
    for (const auto& [id, name] : place_names_) {
      if (!finding_places_.count(id)) continue;
      const std::string en = get(name, "en"), ja = get(name, "ja");
      out_ << "<option value=\"" << esc(id) << "\" data-en=\"" << esc(en.empty() ? id : en)
           << "\" data-ja=\"" << esc(ja.empty() ? (en.empty() ? id : en) : ja) << "\">"
           << esc(en.empty() ? id : en) << "</option>";
    }
    out_ << "</select></label></div>\n";
    if (findings.empty()) {
      out_ << "<p id=\"no-findings\">" << L("No findings.", "検出事項はありません。")
           << "</p></section>\n";
      return;
    }
    out_ << "<table class=\"findings\"><thead><tr><th>#</th><th>" << L("Verdict", "判定")
         << "</th><th>" << L("Rule", "規則") << "</th><th>" << L("Citation", "根拠") << "</th><th>"
         << L("Place", "法域") << "</th><th>" << L("Event", "イベント") << "</th><th>"
         << L("Data set", "データセット") << "</th><th>"
         << L("Exporter → importer", "移転元 → 移転先") << "</th><th>"
         << L("Missing / deciding", "不足・決め手") << "</th></tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < findings.size(); ++i) {
      const json& f = findings[i];
      const json& e = member(f, "edge");
      const std::string verdict = get(f, "verdict");
      out_ << "<tr class=\"finding " << esc(verdict) << "\" data-verdict=\"" << esc(verdict)
           << "\" data-place=\"" << esc(get(f, "place")) << "\"><td><a href=\"#finding-" << i + 1
           << "\">" << i + 1 << "</a></td><td>" << badge(verdict) << "</td><td><code>"
           << esc(get(f, "rule")) << "</code><br>" << L(member(f, "title")) << "</td><td>"
           << citation(member(f, "citation"), 48) << "</td><td>" << L(member(f, "place_name"))
           << "</td><td>" << esc(get(f, "event"))
           << (member(e, "implicit") == json(true)
                   ? " <span class=\"badge implicit\">" + L("implicit", "暗黙") + "</span>"
                   : "")
           << "</td><td>" << dataset_name(get(f, "dataset")) << "</td><td>"
           << party_name(get(e, "exporter")) << " (" << country(get(e, "from_country")) << ") → "
           << party_name(get(e, "importer")) << " (" << country(get(e, "to_country"))
           << ")</td><td>" << missing_deciding(f) << "</td></tr>\n";
    }
    out_ << "</tbody></table>\n</section>\n";
  }

  // ---- per-finding event-by-event view ---------------------------------------------------------

  void finding_details() {
    const json& findings = array_member(check_, "findings");
    if (findings.empty()) return;
    out_ << "<section id=\"paths\"><h2>" << L("Event by event", "イベントごとの経過")
         << "</h2>\n<p class=\"sub\">"
         << L("For each finding, the four steps: 1 the flow along the path, 2 the places and "
              "authorities reaching "
              "the data, 3 the attributes as they change, 4 the risks.",
              "各検出事項について4つの段階：1 経路に沿ったフロー、2 適用法域とデータに届く当局、3 "
              "変化する属性、4 リスク。")
         << "</p>\n";
    for (std::size_t i = 0; i < findings.size(); ++i) {
      const json& f = findings[i];
      const std::string verdict = get(f, "verdict");
      out_ << "<details class=\"finding " << esc(verdict) << "\" id=\"finding-" << i + 1
           << "\" data-verdict=\"" << esc(verdict) << "\" data-place=\"" << esc(get(f, "place"))
           << "\"" << (verdict == "compliant" ? "" : " open") << "><summary>" << i + 1 << ". "
           << badge(verdict) << " <code>" << esc(get(f, "rule")) << "</code> "
           << dataset_name(get(f, "dataset")) << " — <code>" << esc(get(member(f, "edge"), "id"))
           << "</code></summary>\n<div class=\"steps\">";
      step_flow(f);
      step_places(f);
      step_attributes(f);
      step_risks(f);
      out_ << "</div></details>\n";
    }
    out_ << "</section>\n";
  }

  void step_flow(const json& f) {
    out_ << "<div class=\"step\"><h4>" << L("1 Flow", "1 フロー") << "</h4><ol class=\"flow\">";
    for (const auto& step : array_member(f, "path")) {
      const json& via = member(step, "via");
      out_ << "<li>";
      if (via.is_object()) {
        const bool implicit = member(via, "implicit") == json(true);
        out_ << "<b>" << esc(get(via, "event")) << "</b> <span class=\"muted\">" << L("via", "経由")
             << "</span> <code>" << esc(get(via, "edge")) << "</code>";
        if (implicit) {
          out_ << " <span class=\"badge implicit\">" << L("implicit", "暗黙") << " "
               << esc(get(via, "kind")) << "</span>";
          const std::string why = get(via, "why");
          if (!why.empty())
            out_ << "<div class=\"why\">" << L("why: ", "理由: ") << esc(why) << "</div>";
        }
        out_ << "<br>→ ";
      } else {
        out_ << "<span class=\"muted\">" << L("start", "起点") << ":</span> ";
      }
      out_ << node_name(get(step, "node")) << " (" << country(get(step, "country")) << ")</li>";
    }
    out_ << "</ol>";
    const json& pc = member(f, "path_count");
    if (pc.is_number_integer() && pc.get<long long>() > 1) {
      out_ << "<p class=\"muted\">" << L("one of ", "同様の経路 ") << pc.get<long long>()
           << L(" paths with this outcome", " 件のうちの一つ") << "</p>";
    }
    out_ << "</div>";
  }

  void step_places(const json& f) {
    const json& scope = member(f, "disclosure_scope");
    out_ << "<div class=\"step\"><h4>" << L("2 Places", "2 法域") << "</h4><dl class=\"facts\"><dt>"
         << L("Place", "法域") << "</dt><dd>" << place(get(f, "place")) << "</dd><dt>"
         << L("Rule", "規則") << "</dt><dd><code>" << esc(get(f, "rule")) << "</code> "
         << L(member(f, "title")) << "</dd><dt>" << L("Citation", "根拠") << "</dt><dd>"
         << citation(member(f, "citation")) << "</dd><dt>"
         << L("Authorities reaching the data", "データに届く当局") << "</dt><dd>"
         << countries(member(scope, "authorities")) << "</dd>";
    const json& possible = member(scope, "authorities_possible");
    if (possible.is_array() && !possible.empty()) {
      out_ << "<dt>" << L("Possibly reaching", "届く可能性がある当局") << "</dt><dd>"
           << countries(possible) << "</dd>";
    }
    out_ << "<dt>" << L("Parties holding it", "データを保持する者") << "</dt><dd>";
    bool first = true;
    for (const auto& p : array_member(scope, "parties")) {
      out_ << (first ? "" : ", ") << party_name(text(p));
      first = false;
    }
    out_ << "</dd></dl>";
    // Why each authority reaches, per node of the path (distinct lines).
    std::vector<std::string> reasons;
    std::set<std::string> seen;
    for (const auto& step : array_member(f, "path")) {
      auto it = nodes_.find(get(step, "node"));
      if (it == nodes_.end()) continue;
      for (const auto& r : array_member(*it->second, "reach")) {
        const std::string line = get(r, "authority") +
                                 (member(r, "certain") == json(false) ? " (possible)" : "") +
                                 " — " + get(r, "why");
        if (seen.insert(line).second) reasons.push_back(line);
      }
    }
    if (!reasons.empty()) {
      out_ << "<details><summary class=\"muted\">" << L("why they reach", "当局が届く理由") << " ("
           << reasons.size() << ")</summary><ul class=\"tight why\">";
      for (const auto& r : reasons) out_ << "<li>" << esc(r) << "</li>";
      out_ << "</ul></details>";
    }
    out_ << "</div>";
  }

  void step_attributes(const json& f) {
    out_ << "<div class=\"step wide\"><h4>" << L("3 Attributes as they change", "3 属性の変化")
         << "</h4><table><thead><tr><th>#</th><th>" << L("Event", "イベント") << "</th><th>"
         << L("Node", "ノード") << "</th><th>" << L("Country", "国") << "</th><th>"
         << L("Countries so far", "これまでの国") << "</th><th>"
         << L("Disclosure scope: authorities", "開示範囲：当局") << "</th><th>"
         << L("Holders so far", "これまでの保持者") << "</th></tr></thead><tbody>";
    std::vector<std::string> countries_so_far, authorities, holders;
    auto add = [](std::vector<std::string>& list, const std::string& v) {
      if (v.empty() || std::find(list.begin(), list.end(), v) != list.end()) return false;
      list.push_back(v);
      return true;
    };
    auto show = [](const std::vector<std::string>& list, const std::set<std::string>& added) {
      std::string out;
      for (const auto& v : list) {
        out += (out.empty() ? "" : ", ");
        out += added.count(v) ? "<span class=\"added\">+" + esc(v) + "</span>" : esc(v);
      }
      return out.empty() ? std::string("—") : out;
    };
    int n = 0;
    for (const auto& step : array_member(f, "path")) {
      const std::string id = get(step, "node"), cc = get(step, "country");
      std::set<std::string> new_countries, new_authorities, new_holders;
      if (add(countries_so_far, cc)) new_countries.insert(cc);
      auto it = nodes_.find(id);
      if (it != nodes_.end()) {
        for (const auto& r : array_member(*it->second, "reach")) {
          std::string a = get(r, "authority");
          if (member(r, "certain") == json(false)) a += "?";
          if (add(authorities, a)) new_authorities.insert(a);
        }
        const std::string holder = get(*it->second, "holder");
        if (add(holders, holder)) new_holders.insert(holder);
      }
      const json& via = member(step, "via");
      out_ << "<tr><td>" << ++n << "</td><td>"
           << (via.is_object()
                   ? esc(get(via, "event")) + (member(via, "implicit") == json(true)
                                                   ? " <span class=\"badge implicit\">" +
                                                         L("implicit", "暗黙") + "</span>"
                                                   : "")
                   : "<span class=\"muted\">" + L("start", "起点") + "</span>")
           << "</td><td><code>" << esc(id) << "</code></td><td>" << esc(cc) << "</td><td>"
           << show(countries_so_far, new_countries) << "</td><td>"
           << show(authorities, new_authorities) << "</td><td>" << show(holders, new_holders)
           << "</td></tr>";
    }
    out_ << "</tbody></table></div>";
  }

  void step_risks(const json& f) {
    out_ << "<div class=\"step wide\"><h4>" << L("4 Risks", "4 リスク") << "</h4><p>"
         << badge(get(f, "verdict")) << " ";
    const std::string verdict = get(f, "verdict");
    if (verdict == "violation") {
      out_ << L("None of the routes that would allow this transfer holds.",
                "この移転を許す根拠がいずれも成立していません。");
    } else if (verdict == "undetermined") {
      out_ << L("The outcome depends on facts the model leaves unknown.",
                "結果はモデル上不明な事実に左右されます。");
    } else {
      out_ << L("A route allowing this transfer holds.", "この移転を許す根拠が成立しています。");
    }
    out_ << "</p>";
    const json& routes = member(f, "routes");
    if (routes.is_array() && !routes.empty()) {
      out_ << "<table><thead><tr><th>" << L("Route", "根拠") << "</th><th>" << L("Status", "状態")
           << "</th><th>" << L("Citation", "根拠条文") << "</th><th>" << L("Missing", "不足")
           << "</th></tr></thead><tbody>";
      const json& missing = member(f, "missing");
      for (const auto& r : routes) {
        const bool is_missing = missing.is_array() && std::find(missing.begin(), missing.end(),
                                                                member(r, "id")) != missing.end();
        out_ << "<tr><td><code>" << esc(get(r, "id")) << "</code> " << L(member(r, "title"))
             << "</td><td>" << esc(get(r, "status")) << "</td><td>"
             << citation(member(r, "citation")) << "</td><td>"
             << (is_missing ? "<span class=\"added\">" + L("missing", "不足") + "</span>"
                            : std::string(""))
             << "</td></tr>";
      }
      out_ << "</tbody></table>";
    }
    const json& deciding = member(f, "deciding");
    if (deciding.is_array() && !deciding.empty()) {
      out_ << "<p><b>" << L("What decides it", "決め手となる事実")
           << "</b></p><table><thead><tr><th>" << L("Fact", "事実") << "</th><th>"
           << L("Value for a violation", "違反となる値") << "</th><th>"
           << L("Value for compliance", "適合となる値") << "</th></tr></thead><tbody>";
      for (const auto& d : deciding) {
        out_ << "<tr><td><code>" << esc(get(d, "fact")) << "</code></td><td>"
             << esc(get(d, "violating_value")) << "</td><td>" << esc(get(d, "compliant_value"))
             << "</td></tr>";
      }
      out_ << "</tbody></table>";
    }
    const json& because = member(f, "because");
    if (because.is_array() && !because.empty()) {
      out_ << "<details><summary class=\"muted\">"
           << L("facts the verdict rests on", "判定の前提となった事実") << " (" << because.size()
           << ")</summary><ul class=\"tight mono\">";
      for (const auto& b : because) out_ << "<li>" << esc(text(b)) << "</li>";
      out_ << "</ul></details>";
    }
    const std::string pointer = get(f, "model_pointer");
    if (!pointer.empty()) {
      out_ << "<p class=\"muted\">" << L("in the model at ", "モデル内の位置 ") << "<code>"
           << esc(pointer) << "</code>";
      // A model of several inputs, YAML or imported: the input file, line and resource.
      if (auto source = find_provenance(sources_, pointer)) {
        std::string where = source->file.generic_string();
        where += source->line > 0 ? ":" + std::to_string(source->line) : ":" + source->pointer;
        out_ << " — " << L("from ", "出典 ") << "<code>" << esc(where) << "</code>";
        if (!source->address.empty()) out_ << " (<code>" << esc(source->address) << "</code>)";
      }
      out_ << "</p>";
    }
    out_ << "</div>";
  }

  // ---- register, notices, TIA --------------------------------------------------------------

  void register_section() {
    json rows;
    try {
      rows = transfer_register(in_);
    } catch (const std::exception&) {
      return;
    }
    if (!rows.is_array()) return;
    out_ << "<section id=\"register\"><h2>" << L("Transfer register", "移転記録") << "</h2>\n";
    if (rows.empty()) {
      out_ << "<p>" << L("No cross-border transfers.", "越境移転はありません。")
           << "</p></section>\n";
      return;
    }
    out_ << "<table><thead><tr><th>" << L("Transfer", "移転") << "</th><th>"
         << L("Data set", "データセット") << "</th><th>" << L("Categories", "データ区分")
         << "</th><th>" << L("Exporter", "移転元") << "</th><th>" << L("Importer", "移転先")
         << "</th><th>" << L("Mechanism", "移転の根拠") << "</th><th>"
         << L("Legal basis", "法的根拠") << "</th><th>" << L("Status", "状態")
         << "</th></tr></thead><tbody>\n";
    for (const auto& r : rows) {
      const std::string status = get(r, "status");
      std::string data = get(r, "dataset_name");
      out_ << "<tr><td><code>" << esc(get(r, "edge")) << "</code> " << esc(get(r, "event"))
           << (member(r, "implicit") == json(true)
                   ? " <span class=\"badge implicit\">" + L("implicit", "暗黙") + "</span>"
                   : "")
           << "</td><td>" << (data.empty() ? "" : esc(data) + " ") << "<code>"
           << esc(get(r, "dataset")) << "</code></td><td>" << value_html(member(r, "categories"))
           << "</td><td>" << esc(get(r, "exporter_name")) << " <code>" << esc(get(r, "exporter"))
           << "</code> (" << country(get(r, "exporter_country")) << ")</td><td>"
           << esc(get(r, "importer_name")) << " <code>" << esc(get(r, "importer")) << "</code> ("
           << country(get(r, "importer_country")) << ")</td><td>"
           << list_html(member(r, "mechanism")) << "</td><td>"
           << list_html(member(r, "legal_basis")) << "</td><td>"
           << (status.empty() ? "" : badge(status)) << "</td></tr>\n";
    }
    out_ << "</tbody></table>\n</section>\n";
  }

  // Who can reach each data set, whether or not a rule fired (check result `exposure`).
  void exposure_section() {
    const json& exposure = member(check_, "exposure");
    if (!exposure.is_array() || exposure.empty()) return;
    out_ << "<section id=\"exposure\"><h2>" << L("Exposure", "アクセスし得る政府機関")
         << "</h2>\n<p>"
         << L("The authorities that can reach each data set on the report's date — where it is, "
              "where its holders are established, and foreign reach (CLOUD Act, FISA 702, …) — "
              "whether or not a transfer rule applies.",
              "報告日において各データセットにアクセスし得る政府機関（所在国、保有者の設立国、"
              "域外適用法令による到達）。移転規則の適用の有無を問わない。")
         << "</p>\n<table><thead><tr><th>" << L("Data set", "データセット") << "</th><th>"
         << L("Countries", "所在国") << "</th><th>" << L("Authorities", "政府機関") << "</th><th>"
         << L("Why", "理由") << "</th></tr></thead><tbody>\n";
    for (const auto& x : exposure) {
      std::string countries, authorities, why;
      const json& cs = member(x, "countries");
      if (cs.is_array()) {
        for (const auto& c : cs) {
          if (!c.is_string()) continue;
          countries += (countries.empty() ? "" : ", ") + country(c.get<std::string>());
        }
      }
      const json& as = member(x, "authorities");
      if (as.is_array()) {
        for (const auto& a : as) {
          const bool certain = member(a, "certain") == json(true);
          authorities += (authorities.empty() ? "" : ", ") + country(get(a, "authority")) +
                         (certain ? "" : " (" + L("possibly", "可能性") + ")");
          const json& rs = member(a, "reasons");
          if (!rs.is_array()) continue;
          for (const auto& r : rs) {
            if (get(r, "source") == "territorial") continue;
            why += "<li><code>" + esc(get(r, "source")) + "</code> " + esc(get(r, "why")) + "</li>";
          }
        }
      }
      out_ << "<tr><td><code>" << esc(get(x, "dataset")) << "</code></td><td>" << countries
           << "</td><td>" << authorities << "</td><td>"
           << (why.empty() ? L("territorial only", "属地的なもののみ") : "<ul>" + why + "</ul>")
           << "</td></tr>\n";
    }
    out_ << "</tbody></table>\n</section>\n";
  }

  void notices_section() {
    json notices;
    try {
      notices = appi_notices(in_);
    } catch (const std::exception&) {
      return;
    }
    if (!notices.is_array() || notices.empty()) return;
    out_ << "<section id=\"appi-notices\"><h2>"
         << L("APPI Art. 28(2) notice drafts", "個人情報保護法第28条第2項 情報提供の案")
         << "</h2>\n<p class=\"sub\">"
         << L("Drafts: what the model does not say is listed as open, never guessed.",
              "案：モデルから分からない事項は推測せず、未確定事項として挙げています。")
         << "</p>\n";
    for (const auto& n : notices) {
      out_ << "<h3>" << L(member(n, "country_name")) << " <code>" << esc(get(n, "country"))
           << "</code></h3>";
      const json& recipients = member(n, "recipients");
      if (recipients.is_array() && !recipients.empty()) {
        out_ << "<table><thead><tr><th>" << L("Recipient", "提供先") << "</th><th>"
             << L("Established", "所在国") << "</th><th>" << L("Measures", "講じている措置")
             << "</th><th>" << L("Certifications", "認証") << "</th><th>" << L("Transfers", "移転")
             << "</th></tr></thead><tbody>";
        for (const auto& r : recipients) {
          out_ << "<tr><td>" << esc(get(r, "name")) << " <code>" << esc(get(r, "party"))
               << "</code></td><td>" << country(get(r, "established")) << "</td><td>"
               << list_html(member(r, "measures")) << "</td><td>"
               << list_html(member(r, "certifications")) << "</td><td>"
               << list_html(member(r, "edges")) << "</td></tr>";
        }
        out_ << "</tbody></table>";
      }
      const json& regime = member(n, "regime");
      out_ << "<h4>" << L("Personal information protection regime: known", "外国の制度：判明事項")
           << "</h4>" << list_html(member(regime, "known")) << "<h4 class=\"open\">"
           << L("Open questions", "未確定事項") << "</h4>" << list_html(member(regime, "open"));
      const json& datasets = member(n, "datasets");
      if (datasets.is_array() && !datasets.empty()) {
        out_ << "<h4>" << L("Data sets", "データセット") << "</h4>" << list_html(datasets);
      }
    }
    out_ << "</section>\n";
  }

  void tia_section() {
    json drafts;
    try {
      drafts = tia_drafts(in_);
    } catch (const std::exception&) {
      return;
    }
    if (!drafts.is_array() || drafts.empty()) return;
    out_ << "<section id=\"tia\"><h2>"
         << L("Transfer impact assessment drafts", "移転影響評価（TIA）の案")
         << "</h2>\n<p class=\"sub\">"
         << L("Skeletons following the six steps of EDPB Recommendations 01/2020.",
              "EDPB勧告01/2020の6つのステップに沿った骨子。")
         << "</p>\n";
    for (const auto& d : drafts) {
      out_ << "<details class=\"finding\" open><summary><code>" << esc(get(d, "edge"))
           << "</code> — " << dataset_name(get(d, "dataset")) << ": "
           << party_name(get(d, "exporter")) << " → " << party_name(get(d, "importer")) << " ("
           << country(get(d, "importer_country")) << ")</summary>";
      for (const auto& s : array_member(d, "steps")) {
        out_ << "<h4>" << esc(get(s, "step")) << ". " << L(member(s, "title")) << "</h4>";
        const json& known = member(s, "known");
        if (known.is_array() && !known.empty()) out_ << list_html(known);
        const json& open = member(s, "open");
        if (open.is_array() && !open.empty()) {
          out_ << "<div class=\"open\">" << L("Open:", "未確定:") << "</div>" << list_html(open);
        }
      }
      out_ << "</details>\n";
    }
    out_ << "</section>\n";
  }

  // ---- plan (`report --plan`) -----------------------------------------------------------------

  std::string plan_finding_html(const PlanFindingView& f) const {
    std::string out = "<li>" + verdict_label(f.verdict) + " <b>" + esc(f.rule) + "</b> — " +
                      esc(f.title) + " · " + citation(f.citation) + "<br><code>" + esc(f.dataset) +
                      "</code> " + L("on", "経路") + " <code>" + esc(f.edge) + "</code> (" +
                      esc(f.exporter) + " → " + esc(f.importer) +
                      (f.to_country.empty() ? "" : " " + esc(f.to_country)) + ")";
    if (!f.missing.empty())
      out += "<br>" + L("None of these holds: ", "いずれも満たされない: ") +
             esc(input::join(f.missing, "; "));
    return out + "</li>";
  }

  void plan_section() {
    const auto v = plan_view(in_);
    if (!v) return;
    out_ << "<section id=\"plan\"><h2>" << L("Plan", "計画") << "</h2>\n<dl class=\"facts\">";
    out_ << "<dt>" << L("Status", "状態") << "</dt><dd><b>" << esc(v->status) << "</b></dd>";
    if (v->cost)
      out_ << "<dt>" << L("Cost", "費用") << "</dt><dd>" << esc(plan_number(*v->cost)) << "</dd>";
    if (v->latency_ms)
      out_ << "<dt>" << L("Latency", "遅延") << "</dt><dd>" << esc(plan_number(*v->latency_ms))
           << " ms</dd>";
    out_ << "<dt>" << L("Window", "期間") << "</dt><dd>" << esc(v->at)
         << (v->until.empty() || v->until == v->at ? "" : " .. " + esc(v->until)) << " ("
         << v->dates << " " << L("dates checked", "日付で検査") << ")</dd>";
    if (v->min_probability) {
      out_ << "<dt>" << L("Futures", "将来") << "</dt><dd><code>" << esc(v->scenario_file)
           << "</code> (" << esc(v->robust_method) << "): " << L("at least ", "要求 ")
           << esc(plan_percent(*v->min_probability));
      if (v->probability)
        out_ << "; " << L("compliant in ", "適合 ") << esc(plan_percent(*v->probability));
      out_ << "</dd>";
    }
    out_ << "<dt>" << L("Produced by", "作成") << "</dt><dd>xborder plan (<code>"
         << esc(v->model_file) << "</code>, " << esc("plan schema " + v->schema_version)
         << ")</dd></dl>\n";
    if (v->status != "optimal") {
      out_ << "<h3>" << L("Why no plan exists", "計画が存在しない理由") << "</h3><ol>";
      for (const auto& q : v->core) {
        out_ << "<li>";
        if (q.kind == "robust" && q.probability_at_most)
          out_ << L("In the scenario's futures", "シナリオの将来において")
               << (q.events.empty() ? "" : " (" + esc(input::join(q.events, ", ")) + ")") << ": "
               << L("compliant with probability at most ", "適合確率の上限 ")
               << esc(plan_percent(*q.probability_at_most));
        if (q.finding) out_ << "<ul>" << plan_finding_html(*q.finding) << "</ul>";
        if (q.kind == "model")
          out_ << L("the model does not load with these choices",
                    "この選択ではモデルが読み込めない");
        if (q.kind == "latency")
          out_ << L("--max-latency leaves no option", "--max-latency により選択肢がない");
        out_ << L("Choice points: ", "選択点: ")
             << (q.points.empty() ? L("none changes it", "変えられるものはない")
                                  : esc(input::join(q.points, ", ")))
             << "</li>";
      }
      out_ << "</ol></section>\n";
      return;
    }
    const json& s = member(check_, "summary");
    out_ << "<h3>" << L("Before and after", "変更前と変更後")
         << "</h3><table><thead><tr><th></th><th>" << L("Date", "日付") << "</th><th>"
         << L("Violations", "違反") << "</th><th>" << L("Undetermined", "判定不能")
         << "</th></tr></thead><tbody>";
    out_ << "<tr><td>"
         << L("Before: the model as written (this report)",
              "変更前: 記載どおりのモデル (本レポート)")
         << "</td><td>" << esc(get(check_, "at")) << "</td><td>"
         << esc(text(member(s, "violations"))) << "</td><td>"
         << esc(text(member(s, "undetermined"))) << "</td></tr>";
    for (const auto& a : v->after)
      out_ << "<tr><td>" << L("After: the plan's patch applied", "変更後: 計画のパッチを適用")
           << "</td><td>" << esc(a.when()) << "</td><td>" << a.violations << "</td><td>"
           << a.undetermined << "</td></tr>";
    out_ << "</tbody></table>\n<h3>" << L("Changes", "変更") << "</h3>";
    const auto why = plan_rules_by_point(*v);
    out_ << "<table><thead><tr><th>" << L("Choice point", "選択点") << "</th><th>"
         << L("Target", "対象") << "</th><th>" << L("Chosen", "選択") << "</th><th>"
         << L("Cost", "費用") << "</th><th>" << L("Needed for (rules)", "必要な理由 (規則)")
         << "</th></tr></thead><tbody>";
    for (const auto& c : v->changes) {
      const auto it = why.find(c.point);
      out_ << "<tr><td><code>" << esc(c.point) << "</code>"
           << (c.name.empty() ? "" : " " + esc(c.name)) << "</td><td>" << esc(c.target)
           << "</td><td><code>" << esc(c.option) << "</code>"
           << (c.note.empty() ? "" : " — " + esc(c.note)) << "</td><td>" << esc(plan_number(c.cost))
           << "</td><td>" << (it == why.end() ? "" : esc(input::join(it->second, "; ")))
           << "</td></tr>";
    }
    out_ << "</tbody></table>\n";
    if (v->unchanged)
      out_ << "<p class=\"sub\">" << v->unchanged << " "
           << L("other choice points keep the model as written.", "その他の選択点は記載どおり。")
           << "</p>\n";
    if (!v->reasons.empty()) {
      out_ << "<h3>" << L("Why each change is needed", "各変更が必要な理由") << "</h3><ul>";
      for (const auto& r : v->reasons) {
        out_ << "<li><code>" << esc(r.point) << "</code>: <code>" << esc(r.option) << "</code> "
             << L("rather than", "(代わりの選択肢)") << " <code>" << esc(r.instead_of) << "</code>";
        if (!r.future_error.empty()) {
          out_ << L(", lawful in the window, but with it a world of the scenario's futures does "
                    "not load: ",
                    "、期間内は適法だが、将来のシナリオでモデルを読み込めない: ")
               << esc(r.future_error) << "</li>";
          continue;
        }
        if (r.avoids.empty()) {
          out_ << L(", which the other choices or --max-latency rule out",
                    "、他の選択または --max-latency により不可")
               << "</li>";
          continue;
        }
        if (r.probability) {
          out_ << L(", lawful in the window but compliant in only ",
                    "、期間内は適法だが将来の適合は ")
               << esc(plan_percent(*r.probability))
               << L(" of the futures; with ", "のみ; 有効な事象: ")
               << esc(r.events.empty() ? std::string("—") : input::join(r.events, ", "))
               << L(" active, from ", "、開始 ") << esc(r.at) << ":";
        } else {
          out_ << L(", which would break, at ", "、次に違反する: ") << esc(r.at) << ":";
        }
        out_ << "<ul>";
        for (const auto& f : r.avoids) out_ << plan_finding_html(f);
        out_ << "</ul></li>";
      }
      out_ << "</ul>\n";
    }
    out_ << "<h3>" << L("Patch (RFC 6902)", "パッチ (RFC 6902)") << "</h3><pre><code>"
         << esc(v->patch.dump(2)) << "</code></pre>\n</section>\n";
  }

  // ---- simulation timeline -----------------------------------------------------------------

  static std::optional<long> day_number(const std::string& s) {
    int y = 0, m = 0, d = 0;
    if (s.size() < 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 ||
        m > 12 || d < 1 || d > 31) {
      return std::nullopt;
    }
    // Days from civil (Howard Hinnant).
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  }

  void simulation_section() {
    if (!in_.is_object() || !in_.contains("simulation")) return;
    const json* entries = &in_["simulation"];
    if (entries->is_object()) {  // accept {"...": [...]} too: the first array inside
      const json* found = nullptr;
      for (const auto& [k, v] : entries->items()) {
        if (v.is_array()) {
          found = &v;
          break;
        }
      }
      entries = found;
    }
    out_ << "<section id=\"simulation\"><h2>"
         << L("Simulation timeline", "シミュレーションの時系列") << "</h2>\n";
    if (!entries || !entries->is_array() || entries->empty()) {
      out_ << "<p class=\"muted\">"
           << L("No simulation entries.", "シミュレーションの項目はありません。")
           << "</p></section>\n";
      return;
    }
    const std::size_t n = entries->size();
    std::vector<std::optional<long>> from(n), to(n);
    long lo = 0, hi = 0;
    bool any = false;
    for (std::size_t i = 0; i < n; ++i) {
      from[i] = day_number(get((*entries)[i], "from"));
      to[i] = day_number(get((*entries)[i], "to"));
      for (const auto& v : {from[i], to[i]}) {
        if (!v) continue;
        lo = any ? std::min(lo, *v) : *v;
        hi = any ? std::max(hi, *v) : *v;
        any = true;
      }
    }
    if (!any) {  // no dates: one slot per entry
      lo = 0;
      hi = static_cast<long>(n);
    }
    if (hi <= lo) hi = lo + 1;
    constexpr int kLabelW = 260, kBarW = 800, kRow = 26, kTop = 28;
    const int height = kTop + static_cast<int>(n) * kRow + 10;
    auto x = [&](long day) {
      return kLabelW + static_cast<double>(day - lo) / static_cast<double>(hi - lo) * kBarW;
    };
    out_ << "<div class=\"graph-wrap\"><svg class=\"timeline\" viewBox=\"0 0 "
         << kLabelW + kBarW + 20 << " " << height
         << "\" width=\"100%\" role=\"img\" aria-label=\"simulation timeline\">";
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#7b8490\"/>", kLabelW,
                  kTop - 6, kLabelW + kBarW, kTop - 6);
    out_ << buf;
    for (std::size_t i = 0; i < n; ++i) {
      const json& e = (*entries)[i];
      const std::string verdict = get(e, "verdict");
      const long a = any ? from[i].value_or(lo) : static_cast<long>(i);
      const long b = any ? to[i].value_or(hi) : static_cast<long>(i) + 1;
      const double x1 = x(a), x2 = std::max(x(b), x1 + 3);
      const int y = kTop + static_cast<int>(i) * kRow;
      const char* colour = verdict == "violation"      ? "#c81e1e"
                           : verdict == "undetermined" ? "#b77400"
                           : verdict == "compliant"    ? "#1e7a3c"
                                                       : "#7b8490";
      std::snprintf(buf, sizeof buf,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"18\" rx=\"3\" fill=\"%s\">",
                    x1, y, x2 - x1, colour);
      out_ << "<g class=\"sim " << esc(verdict) << "\">" << buf << "<title>" << esc(get(e, "label"))
           << ": " << esc(get(e, "from")) << " – " << esc(get(e, "to")) << " (" << esc(verdict)
           << ")</title></rect>"
           << "<text x=\"" << kLabelW - 8 << "\" y=\"" << y + 13
           << "\" text-anchor=\"end\" font-size=\"12\">" << esc(truncate(get(e, "label"), 34))
           << "</text></g>";
    }
    if (any) {
      // Axis labels: earliest and latest dates named in the entries.
      std::string first_date, last_date;
      for (std::size_t i = 0; i < n; ++i) {
        for (const char* key : {"from", "to"}) {
          const auto v = day_number(get((*entries)[i], key));
          if (v && *v == lo) first_date = get((*entries)[i], key).substr(0, 10);
          if (v && *v == hi) last_date = get((*entries)[i], key).substr(0, 10);
        }
      }
      out_ << "<text x=\"" << kLabelW << "\" y=\"14\" font-size=\"11\" fill=\"#5b6470\">"
           << esc(first_date) << "</text><text x=\"" << kLabelW + kBarW
           << "\" y=\"14\" font-size=\"11\" fill=\"#5b6470\" "
           << "text-anchor=\"end\">" << esc(last_date) << "</text>";
    }
    out_ << "</svg></div>\n<table><thead><tr><th>" << L("From", "開始") << "</th><th>"
         << L("To", "終了") << "</th><th>" << L("Label", "内容") << "</th><th>"
         << L("Verdict", "判定") << "</th></tr></thead><tbody>";
    for (const auto& e : *entries) {
      const std::string verdict = get(e, "verdict");
      out_ << "<tr><td>" << esc(get(e, "from")) << "</td><td>" << esc(get(e, "to")) << "</td><td>"
           << value_html(member(e, "label")) << "</td><td>"
           << (verdict == "violation" || verdict == "undetermined" || verdict == "compliant"
                   ? badge(verdict)
                   : esc(verdict))
           << "</td></tr>";
    }
    out_ << "</tbody></table>\n</section>\n";
  }
};

}  // namespace

std::string render_html(const nlohmann::json& input) {
  return Renderer(input).render();
}

}  // namespace xborder
