// Small text helpers the importers share: trimming, case, identifier slugs and `;`-separated lists.
#pragma once

#include <string>
#include <vector>

namespace xborder::import_text {

// Without leading and trailing spaces and tabs.
std::string trim(const std::string& s);
// ASCII lower case.
std::string lower(std::string s);
// `Acme Cloud, Inc.` → `acme-cloud-inc`: an identifier part ("unnamed" when nothing is left).
std::string slug(const std::string& text);
// `a; b;;c ` → {a, b, c}: trimmed, empty items dropped.
std::vector<std::string> split_list(const std::string& text, char separator = ';');

}  // namespace xborder::import_text
