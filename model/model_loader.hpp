// Loading and validating a transfer model file. All problems are collected, none is fatal early.
#pragma once

#include <filesystem>
#include <optional>

#include "model/diagnostic.hpp"
#include "model/json_reader.hpp"
#include "model/reference_data.hpp"
#include "model/transfer_model.hpp"

namespace xborder {

inline constexpr const char* kModelFormat = "xborder-model/1";

struct ModelLoadResult {
  std::optional<TransferModel> model;  // empty when any error was found
  Diagnostics diagnostics;
};

ModelLoadResult load_model(const std::filesystem::path& file, const ReferenceData& reference);
ModelLoadResult load_model_json(const Json& document, const std::filesystem::path& file,
                                const ReferenceData& reference);

}  // namespace xborder
