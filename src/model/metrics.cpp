#include "model/metrics.hpp"

#include "model/digest_sorted.hpp"

#include "util/error.hpp"

#include <algorithm>
#include <functional>
#include <limits>

namespace model {

namespace {

std::uint64_t
digest_of(std::string_view object_type, std::string_view object, std::string_view metric)
{
  std::string key;
  key.reserve(object_type.size() + object.size() + metric.size() + 2);
  key.append(object_type).append(1, '\x1f').append(object).append(1, '\x1f').append(metric);
  return std::hash<std::string_view>{}(key);
}

} // namespace

MetricList::MetricList(std::initializer_list<Metric> metrics)
{
  for (const auto& m : metrics) {
    push_back(m);
  }
}

std::uint16_t
MetricList::name_index(std::string_view name)
{
  const auto it = std::find(m_names.begin(), m_names.end(), name);
  if (it != m_names.end()) {
    return static_cast<std::uint16_t>(it - m_names.begin());
  }
  if (m_names.size() >= std::numeric_limits<std::uint16_t>::max()) {
    throw util::Error("an audit's metrics have more names than it keeps");
  }
  m_names.emplace_back(name);
  return static_cast<std::uint16_t>(m_names.size() - 1);
}

void
MetricList::add(std::string_view object_type, std::string_view object, std::string_view metric, double value)
{
  const auto type = name_index(object_type);
  const auto same_object = [&] {
    const auto& last = m_objects.back();
    return last.type == type && std::string_view(m_text).substr(last.at, last.size) == object;
  };
  if (m_objects.empty() || !same_object()) {
    if (m_objects.size() >= std::numeric_limits<std::uint32_t>::max()) {
      throw util::Error("an audit's metrics have more objects than it keeps");
    }
    m_objects.push_back(Object{m_text.size(), static_cast<std::uint32_t>(object.size()), type});
    m_text += object;
  }
  m_entries.push_back(Entry{value, static_cast<std::uint32_t>(m_objects.size() - 1), name_index(metric)});
}

void
MetricList::append(const MetricList& other)
{
  for (std::size_t i = 0; i < other.size(); ++i) {
    add(other.object_type(i), other.object(i), other.metric(i), other.value(i));
  }
}

MetricList::Footprint&
MetricList::Footprint::operator+=(const Footprint& other)
{
  metrics += other.metrics;
  objects += other.objects;
  text += other.text;
  return *this;
}

void
MetricList::reserve(const Footprint& total)
{
  m_entries.reserve(total.metrics);
  m_objects.reserve(total.objects);
  m_text.reserve(total.text);
}

void
MetricList::clear()
{
  *this = MetricList();
}

Metric
MetricList::operator[](std::size_t i) const
{
  return Metric{std::string(object_type(i)), std::string(object(i)), std::string(metric(i)), value(i)};
}

std::string_view
MetricList::object_type(std::size_t i) const
{
  return m_names[m_objects[m_entries.at(i).object].type];
}

std::string_view
MetricList::object(std::size_t i) const
{
  const auto& o = m_objects[m_entries.at(i).object];
  return std::string_view(m_text).substr(o.at, o.size);
}

std::string_view
MetricList::metric(std::size_t i) const
{
  return m_names[m_entries.at(i).metric];
}

void
MetricValues::add(std::string_view object_type, std::string_view object, std::string_view metric, double value)
{
  m_values.push_back(Value{digest_of(object_type, object, metric), value});
}

void
MetricValues::sort()
{
  // of two values of one metric, the later one is kept
  sort_by_digest(m_values, [](Value& first, const Value& later) { first = later; });
}

void
MetricValues::set(std::string_view object_type, std::string_view object, std::string_view metric, double value)
{
  const Value v{digest_of(object_type, object, metric), value};
  const auto it = at_digest(m_values, v.digest);
  if (it != m_values.end() && it->digest == v.digest) {
    it->value = value;
  } else {
    m_values.insert(it, v);
  }
}

std::optional<double>
MetricValues::find(std::string_view object_type, std::string_view object, std::string_view metric) const
{
  const auto digest = digest_of(object_type, object, metric);
  const auto it = at_digest(m_values, digest);
  if (it == m_values.end() || it->digest != digest) {
    return std::nullopt;
  }
  return it->value;
}

} // namespace model
