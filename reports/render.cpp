#include "reports/render.hpp"

#include "reports/html_report.hpp"
#include "reports/input_view.hpp"
#include "reports/legal_drafts.hpp"
#include "reports/sarif_report.hpp"
#include "reports/tabular_report.hpp"

namespace xborder {

std::string render_report(const nlohmann::json& input, const std::string& format,
                          const std::function<std::string(const std::string&)>& read_model) {
  if (format == "html") return render_html(input);
  if (format == "md") return render_markdown(input);
  if (format == "csv") return render_register_csv(input);
  if (format == "appi-notice") return render_appi_notices_markdown(appi_notices(input));
  if (format == "tia") return render_tia_markdown(tia_drafts(input));
  if (format == "sarif") {
    const std::string model_file = input::str(input::member(input, "model"), "file");
    const std::string text = model_file.empty() ? "" : read_model(model_file);
    return render_sarif(input, text).dump(2) + "\n";
  }
  return input.dump(2) + "\n";
}

}  // namespace xborder
