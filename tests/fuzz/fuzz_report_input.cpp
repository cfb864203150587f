// libFuzzer harness: report inputs (`xborder report --from`). Any bytes that parse as a report
// input document must render in every format or throw nlohmann::json::exception (which the CLI
// reports as invalid input, XB-CLI-004); never crash, hang or throw anything else.
#include <cstddef>
#include <cstdint>

#include "model/json_reader.hpp"
#include "reports/input_view.hpp"
#include "reports/render.hpp"
#include "reports/report_input.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace xborder;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Diagnostics diags;
  auto doc =
      parse_json_text(std::string(fuzz::text(data, size)), "fuzz-report.json", diags, "XB-CLI");
  if (!doc) return 0;
  // The CLI renders only documents of this format; the fuzzer keeps the seeds' `format`.
  if (input::str(*doc, "format") != kReportInputFormat) return 0;
  // Like the CLI, render only what passes the shape check (XB-CLI-004 otherwise); the rest of
  // the document is still anything the fuzzer makes.
  if (!report_input_problems(*doc).empty()) return 0;
  const auto no_model = [](const std::string&) { return std::string(); };
  for (const char* format : {"html", "md", "sarif", "csv", "appi-notice", "tia", "json"}) {
    try {
      render_report(*doc, format, no_model);
    } catch (const nlohmann::json::exception&) {
      // invalid input: reported with exit 2
    }
  }
  return 0;
}
