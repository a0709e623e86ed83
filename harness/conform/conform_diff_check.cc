// Is a parsed JSON document a conform matrix `conform --diff` can read?
// Checks the fields the diff reads (docs/conform-report.schema.json has the
// whole format), and that the keys it matches by are unique.
#include <set>
#include <utility>

#include <fmt/format.h>

#include "conform/conform_diff.h"

namespace conncheck {
namespace {

using nlohmann::json;
using Is = bool (json::*)() const noexcept;

struct Field {
  const char* key;
  Is is;
  const char* type;
};

constexpr Is kString = &json::is_string;
constexpr Is kArray = &json::is_array;
constexpr Is kBool = &json::is_boolean;
constexpr Is kInteger = &json::is_number_integer;

// The first field of `fields` that `o` lacks or holds with another type.
std::string lacks(const json& o, const std::string& where, std::initializer_list<Field> fields) {
  if (!o.is_object()) return fmt::format("{}: not an object", where);
  for (const Field& f : fields) {
    const auto it = o.find(f.key);
    if (it == o.end() || !((*it).*f.is)())
      return fmt::format("{}: no {} '{}'", where, f.type, f.key);
  }
  return "";
}

std::string rows_problem(const json& rows) {
  std::set<std::string> ids;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string where = fmt::format("rows[{}]", i);
    if (auto why = lacks(rows[i], where, {{"id", kString, "string"}, {"cells", kArray, "array"}});
        !why.empty())
      return why;
    if (!ids.insert(rows[i]["id"].get<std::string>()).second)
      return fmt::format("{}: row '{}' twice", where, rows[i]["id"].get<std::string>());
    std::set<std::string> columns;
    const json& cells = rows[i]["cells"];
    for (std::size_t j = 0; j < cells.size(); ++j) {
      const std::string at = fmt::format("{}.cells[{}]", where, j);
      if (auto why = lacks(cells[j], at,
                           {{"column", kString, "string"},
                            {"state", kString, "string"},
                            {"text", kString, "string"}});
          !why.empty())
        return why;
      if (!columns.insert(cells[j]["column"].get<std::string>()).second)
        return fmt::format("{}: column '{}' twice in the row", at,
                           cells[j]["column"].get<std::string>());
    }
  }
  return "";
}

std::string runs_problem(const json& runs) {
  std::set<std::pair<std::string, std::string>> keys;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const std::string where = fmt::format("runs[{}]", i);
    const json& r = runs[i];
    if (auto why = lacks(r, where,
                         {{"case", kString, "string"},
                          {"backend", kString, "string"},
                          {"row", kString, "string"},
                          {"column", kString, "string"},
                          {"provoked", kBool, "boolean"},
                          {"finding", kBool, "boolean"},
                          {"target_step", kInteger, "integer"},
                          {"steps", kArray, "array"}});
        !why.empty())
      return why;
    if (r.contains("setup_error") && !r["setup_error"].is_string())
      return fmt::format("{}: 'setup_error' is not a string", where);
    if (!keys.emplace(r["case"].get<std::string>(), r["backend"].get<std::string>()).second)
      return fmt::format("{}: case '{}' under {} twice", where, r["case"].get<std::string>(),
                         r["backend"].get<std::string>());
    for (std::size_t k = 0; k < r["steps"].size(); ++k)
      if (auto why = lacks(r["steps"][k], fmt::format("{}.steps[{}]", where, k),
                           {{"trace", kString, "string"}, {"verdict", kString, "string"}});
          !why.empty())
        return why;
  }
  return "";
}

}  // namespace

std::string conform_matrix_problem(const json& doc) {
  if (!doc.is_object()) return "not a conform matrix: the top level is not an object";
  if (doc.value("format", json()) != "conncheck-conform/1")
    return fmt::format("not a conform matrix: format is {}, want \"conncheck-conform/1\"",
                       doc.contains("format") ? doc["format"].dump() : "absent");
  std::string why =
      lacks(doc, "top level",
            {{"kernel", kString, "string"}, {"rows", kArray, "array"}, {"runs", kArray, "array"}});
  if (why.empty()) why = rows_problem(doc["rows"]);
  if (why.empty()) why = runs_problem(doc["runs"]);
  return why.empty() ? "" : "not a conform matrix: " + why;
}

}  // namespace conncheck
