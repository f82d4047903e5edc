#pragma once

#include "model/finding.hpp"
#include "util/index_iterator.hpp"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace model {

// The metrics of one audit, kept compactly (#19): each metric is 16 bytes (its object's place,
// its name's, its value); an object's type and name are kept once for the metrics that follow
// each other on it, and the few metric names and object types once for all. The 1,000-schema
// benchmark's 111,000 metrics took 15 MB as Metric structs, 2.5 MB here. Read as Metric values.
class MetricList
{
public:
  using const_iterator = util::IndexIterator<MetricList, Metric>;

  MetricList() = default;
  MetricList(std::initializer_list<Metric> metrics);

  void push_back(const Metric& metric) { add(metric.object_type, metric.object, metric.metric, metric.value); }
  void add(std::string_view object_type, std::string_view object, std::string_view metric, double value);
  void append(const MetricList& other);
  // What a list holds: metrics, objects and the bytes of the objects' names.
  struct Footprint
  {
    std::size_t metrics = 0;
    std::size_t objects = 0;
    std::size_t text = 0;
    Footprint& operator+=(const Footprint& other);
  };
  Footprint footprint() const { return {m_entries.size(), m_objects.size(), m_text.size()}; }
  // Room for this much in all, so that appending many lists, reserved for first, moves nothing:
  // grown by doubling, the audit's list held up to twice its size, and both sizes while it moved
  // (about 25 MB at 10,000 schemas).
  void reserve(const Footprint& total);
  // Frees the memory, as `list = {}` would.
  void clear();

  std::size_t size() const { return m_entries.size(); }
  bool empty() const { return m_entries.empty(); }
  Metric operator[](std::size_t i) const;
  std::string_view object_type(std::size_t i) const;
  std::string_view object(std::size_t i) const;
  std::string_view metric(std::size_t i) const;
  double value(std::size_t i) const { return m_entries.at(i).value; }

  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, size()); }

private:
  struct Entry
  {
    double value = 0;
    std::uint32_t object = 0; // in m_objects
    std::uint16_t metric = 0; // in m_names
  };
  struct Object
  {
    std::uint64_t at = 0; // its name in m_text
    std::uint32_t size = 0;
    std::uint16_t type = 0; // in m_names
  };

  std::uint16_t name_index(std::string_view name);

  std::vector<Entry> m_entries;
  std::vector<Object> m_objects;
  std::string m_text;               // the objects' names, one after another
  std::vector<std::string> m_names; // the object types and metric names
};

// A snapshot's metrics as the history-aware checks look them up by object type, object and
// metric: a sorted list of a 64-bit digest of the three and the value, 16 bytes a metric (the
// 111,000 of the 1,000-schema benchmark took 15 MB as a hash of texts). Two different metrics
// with one digest are one in 2^64.
class MetricValues
{
public:
  // Adds or replaces one value.
  void set(std::string_view object_type, std::string_view object, std::string_view metric, double value);
  // Adds many: add() each, then sort() once before the lookups (a later value of the same metric
  // replaces an earlier one).
  void add(std::string_view object_type, std::string_view object, std::string_view metric, double value);
  void sort();

  std::optional<double> find(std::string_view object_type, std::string_view object, std::string_view metric) const;
  std::size_t size() const { return m_values.size(); }

private:
  struct Value
  {
    std::uint64_t digest = 0;
    double value = 0;
  };
  std::vector<Value> m_values;
};

} // namespace model
