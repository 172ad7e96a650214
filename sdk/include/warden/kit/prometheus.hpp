// SPDX-License-Identifier: Apache-2.0
// warden/kit/prometheus.hpp — reading what a service serves on /metrics.
//
// Part of the worker kit: header-only C++ that compiles into the plugin, on
// the wrapper and nlohmann/json; never part of the ABI.
//
// Many services report their counters in the Prometheus text exposition
// format: `# HELP` and `# TYPE` comments, then one sample per line,
// `name{label="value",...} value [timestamp]`. A worker reads it on every
// observation, so there are three ways in, cheapest first:
//
//   * Counters::sum_of(text, names): each named metric summed over all its
//     series (all label sets), `x` and `x_total` alike for a counter. What
//     a worker usually wants: "how many messages has it sent in all".
//   * for_each_sample(text, on_sample): a streaming scan calling on_sample
//     with a SampleView of each well-formed sample line. It allocates
//     nothing per line; label values are unescaped only on request.
//   * parse(text): an Exposition that owns its families (name, type, help)
//     and samples, with lookups (family_of, value, sum).
//
// What a service serves is hostile input. The scan reads at most
// Limits::max_bytes, max_lines lines of at most max_line_bytes each, and
// max_labels labels per sample; past a limit the line, or the rest of the
// text, is skipped and the ScanSummary says so. A malformed line is skipped
// and counted, never thrown; the summary keeps the first problem as one
// short printable line ("line 12: label value not closed"). Time is linear
// in the text. CRLF line ends, blank lines, blanks around a line and a last
// line without a newline are all fine.
//
// Values are read as Prometheus's own parser (Go's ParseFloat) reads them:
// decimal, exponent ("1e+06"), "+Inf", "-Inf", "NaN" (any case), a leading
// "+"; a value past double's range is refused, as Prometheus refuses it; one
// too small for it reads as 0. Go's hexadecimal floats, which no exporter
// writes, are not read. Timestamps are whole milliseconds (int64).
// An OpenMetrics exemplar after the value (`1 # {id="x"} 1`) is ignored;
// OpenMetrics' float timestamps and quoted metric names are not read.
//
// A sample belongs to the family of the `# TYPE` (or `# HELP`) line before
// it when its name is the family's or, by the family's type, the family's
// plus a suffix: `_total` and `_created` of a counter; `_bucket`, `_sum`,
// `_count` and `_created` of a histogram; `_sum`, `_count` and `_created` of
// a summary. Any other sample is a family of its own, untyped.
//
// OWNERSHIP: SampleView and LabelView point into the scanned text: valid
// during the on_sample call, and no longer than the text. Counters,
// Exposition and ScanSummary own what they hold.
// THREADING: pure functions and plain values; use from any thread, one
// object per thread.
//
// Example, the counters of a Benthos pipeline:
//
//   constexpr std::array<std::string_view, 2> kWanted = {"output_sent", "output_error"};
//   warden::kit::ScanSummary summary;
//   const auto counters = warden::kit::Counters::sum_of(body, kWanted, &summary);
//   if (!summary.clean()) host().debug("/metrics: " + summary.problem);
//   const double errors = counters.get("output_error");
#ifndef WARDEN_KIT_PROMETHEUS_HPP
#define WARDEN_KIT_PROMETHEUS_HPP

#include <warden/validation.hpp>

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace warden::kit {

/// At most this much of a text is read (whole lines only).
inline constexpr std::size_t kMaxExpositionBytes = 16u << 20;
/// At most this many lines (comments and blank lines too) are read.
inline constexpr std::size_t kMaxExpositionLines = 200'000;
/// A longer line is skipped as malformed.
inline constexpr std::size_t kMaxLineBytes = 64u << 10;
/// A sample with more labels is skipped as malformed.
inline constexpr std::size_t kMaxLabels = 64;
/// ScanSummary::problem is never longer than this.
inline constexpr std::size_t kMaxProblemBytes = 200;

/// The bounds of one scan; the defaults are the constants above.
struct Limits {
    std::size_t max_bytes = kMaxExpositionBytes;
    std::size_t max_lines = kMaxExpositionLines;
    std::size_t max_line_bytes = kMaxLineBytes;
    std::size_t max_labels = kMaxLabels;
};

/// What a `# TYPE` line says of a family. OpenMetrics' "unknown",
/// "gaugehistogram", "stateset" and "info" read as untyped.
enum class MetricType { untyped, counter, gauge, histogram, summary };

/// "untyped", "counter", "gauge", "histogram" or "summary".
inline std::string_view type_name(MetricType type) noexcept {
    switch (type) {
        case MetricType::counter: return "counter";
        case MetricType::gauge: return "gauge";
        case MetricType::histogram: return "histogram";
        case MetricType::summary: return "summary";
        case MetricType::untyped: break;
    }
    return "untyped";
}

/// What one scan read.
struct ScanSummary {
    std::size_t lines = 0;    ///< lines read, comments and blank lines included
    std::size_t samples = 0;  ///< well-formed sample lines
    std::size_t skipped = 0;  ///< malformed lines, skipped
    bool truncated = false;   ///< a limit on bytes or lines left the rest unread
    /// The first problem: "line 12: label value not closed"; empty when none.
    /// Printable ASCII, at most kMaxProblemBytes.
    std::string problem;

    /// Nothing skipped, nothing left unread.
    bool clean() const noexcept { return skipped == 0 && !truncated; }
};

namespace prometheus_detail {

inline bool is_blank(char c) noexcept {
    return c == ' ' || c == '\t';
}
inline bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}
inline bool is_alpha(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool is_name_start(char c) noexcept {
    return is_alpha(c) || c == '_' || c == ':';
}
inline bool is_name_char(char c) noexcept {
    return is_name_start(c) || is_digit(c);
}
inline bool is_label_start(char c) noexcept {
    return is_alpha(c) || c == '_';
}
inline bool is_label_char(char c) noexcept {
    return is_label_start(c) || is_digit(c);
}

inline void skip_blanks(std::string_view text, std::size_t &i) noexcept {
    while (i < text.size() && is_blank(text[i])) ++i;
}

inline bool equals_nocase(std::string_view text, std::string_view lower) noexcept {
    if (text.size() != lower.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != lower[i]) return false;
    }
    return true;
}

inline bool ends_with(std::string_view text, std::string_view suffix) noexcept {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Whether `text` is `head` followed by `tail`, without building it.
inline bool is_concat(std::string_view text, std::string_view head,
                      std::string_view tail) noexcept {
    return text.size() == head.size() + tail.size() && text.substr(0, head.size()) == head &&
           text.substr(head.size()) == tail;
}

// A decimal that from_chars found out of range: whether it is too small for
// a double (reads as 0) rather than too large (refused). `digits` is
// [0-9]*[.[0-9]*][(e|E)[+-][0-9]+], already matched by from_chars.
inline bool underflows(std::string_view digits) noexcept {
    std::size_t i = 0;
    long magnitude = 0;  // the power of ten of the first significant digit
    bool found = false;
    long integer_digits = 0;
    for (; i < digits.size() && is_digit(digits[i]); ++i, ++integer_digits) {
        if (!found && digits[i] != '0') {
            found = true;
            magnitude = -1;  // counted up by the integer digits after it
        }
        if (found) ++magnitude;
    }
    if (i < digits.size() && digits[i] == '.') {
        long place = 0;
        for (++i; i < digits.size() && is_digit(digits[i]); ++i) {
            --place;
            if (!found && digits[i] != '0') {
                found = true;
                magnitude = place;
            }
        }
    }
    if (!found) return true;  // zero never is out of range; be safe
    long exponent = 0;
    if (i < digits.size() && (digits[i] == 'e' || digits[i] == 'E')) {
        ++i;
        bool negative = false;
        if (i < digits.size() && (digits[i] == '+' || digits[i] == '-'))
            negative = digits[i++] == '-';
        for (; i < digits.size() && is_digit(digits[i]); ++i)
            if (exponent < 1'000'000) exponent = exponent * 10 + (digits[i] - '0');
        if (negative) exponent = -exponent;
    }
    return magnitude + exponent < 0;
}

// A sample value as Go's strconv.ParseFloat reads it (decimal only).
inline bool parse_value(std::string_view token, double &out) noexcept {
    if (token.empty()) return false;
    bool negative = false;
    std::size_t start = 0;
    if (token[0] == '+' || token[0] == '-') {
        negative = token[0] == '-';
        start = 1;
    }
    const std::string_view rest = token.substr(start);
    if (equals_nocase(rest, "inf") || equals_nocase(rest, "infinity")) {
        out = negative ? -std::numeric_limits<double>::infinity()
                       : std::numeric_limits<double>::infinity();
        return true;
    }
    if (start == 0 && equals_nocase(rest, "nan")) {
        out = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    if (rest.empty() || !(is_digit(rest[0]) || rest[0] == '.')) return false;
    double value = 0;
    const char *end = rest.data() + rest.size();
    const auto result = std::from_chars(rest.data(), end, value, std::chars_format::general);
    if (result.ptr != end) return false;
    if (result.ec == std::errc::result_out_of_range) {
        if (!underflows(rest)) return false;
        value = 0;
    } else if (result.ec != std::errc()) {
        return false;
    }
    out = negative ? -value : value;
    return true;
}

// A timestamp: a whole number of milliseconds that fits int64.
inline bool parse_timestamp(std::string_view token, int64_t &out) noexcept {
    if (!token.empty() && token[0] == '+') token.remove_prefix(1);
    if (token.empty() || !(is_digit(token[0]) || (token[0] == '-' && token.size() > 1)))
        return false;
    const char *end = token.data() + token.size();
    const auto result = std::from_chars(token.data(), end, out);
    return result.ec == std::errc() && result.ptr == end;
}

// How a label value reads unescaped: \\ \" and \n are the escapes; any other
// backslash stays as written. Calls put(char) for each byte.
template <typename Put>
void unescape(std::string_view raw, bool newline_only_and_backslash, Put &&put) {
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '\\' && i + 1 < raw.size()) {
            const char next = raw[i + 1];
            if (next == '\\' || next == 'n' || (next == '"' && !newline_only_and_backslash)) {
                put(next == 'n' ? '\n' : next);
                ++i;
                continue;
            }
        }
        put(c);
    }
}

// Why a line is malformed: a fixed text, with an optional bound in it
// ("more than 64 labels"). Formatted only for the first problem of a scan.
struct Fault {
    const char *what = nullptr;  // nullptr: no fault
    std::size_t bound = 0;       // printed between what and after, when after is set
    const char *after = nullptr;
    explicit operator bool() const noexcept { return what != nullptr; }
};

inline std::string fault_text(std::size_t line, const Fault &fault) {
    std::string out = "line " + std::to_string(line) + ": " + fault.what;
    if (fault.after != nullptr) out += std::to_string(fault.bound) + fault.after;
    if (out.size() > kMaxProblemBytes) out.resize(kMaxProblemBytes);
    return printable(out, kMaxProblemBytes);
}

}  // namespace prometheus_detail

/// One label of a sample, as written. value() unescapes it.
class LabelView {
public:
    LabelView(std::string_view name, std::string_view raw_value, bool escaped) noexcept
        : name_(name), raw_(raw_value), escaped_(escaped) {}

    std::string_view name() const noexcept { return name_; }
    /// The value between the quotes, escapes and all.
    std::string_view raw_value() const noexcept { return raw_; }
    /// Whether the raw value holds a backslash (value() differs from it).
    bool escaped() const noexcept { return escaped_; }

    /// The value with `\\`, `\"` and `\n` unescaped (any other backslash is
    /// kept as written).
    std::string value() const {
        if (!escaped_) return std::string(raw_);
        std::string out;
        out.reserve(raw_.size());
        prometheus_detail::unescape(raw_, false, [&](char c) { out += c; });
        return out;
    }

    /// Whether the unescaped value is `plain`; allocates nothing.
    bool value_is(std::string_view plain) const noexcept {
        if (!escaped_) return raw_ == plain;
        std::size_t at = 0;
        bool same = true;
        prometheus_detail::unescape(raw_, false, [&](char c) {
            same = same && at < plain.size() && plain[at] == c;
            ++at;
        });
        return same && at == plain.size();
    }

private:
    std::string_view name_;
    std::string_view raw_;
    bool escaped_;
};

namespace prometheus_detail {

// Reads the labels of `line` from `i`, just past '{', through the closing
// '}', calling on_label(const LabelView &) for each; `i` ends past '}'.
template <typename OnLabel>
Fault read_labels(std::string_view line, std::size_t &i, std::size_t max_labels,
                  OnLabel &&on_label) {
    const std::size_t n = line.size();
    std::size_t count = 0;
    for (;;) {
        skip_blanks(line, i);
        if (i >= n) return {"label set not closed"};
        if (line[i] == '}') {
            ++i;
            return {};
        }
        const std::size_t name_start = i;
        if (!is_label_start(line[i])) return {"invalid label name"};
        while (i < n && is_label_char(line[i])) ++i;
        const std::string_view name = line.substr(name_start, i - name_start);
        skip_blanks(line, i);
        if (i >= n || line[i] != '=') return {"no '=' after a label name"};
        ++i;
        skip_blanks(line, i);
        if (i >= n || line[i] != '"') return {"label value not quoted"};
        const std::size_t value_start = ++i;
        bool escaped = false;
        for (;;) {
            if (i >= n) return {"label value not closed"};
            if (line[i] == '"') break;
            if (line[i] == '\\') {
                escaped = true;
                if (++i >= n) return {"label value not closed"};
            }
            ++i;
        }
        const std::string_view raw = line.substr(value_start, i - value_start);
        ++i;
        if (++count > max_labels) return {"more than ", max_labels, " labels"};
        on_label(LabelView(name, raw, escaped));
        skip_blanks(line, i);
        if (i < n && line[i] == ',') {
            ++i;
            continue;
        }
        if (i < n && line[i] == '}') {
            ++i;
            return {};
        }
        return {i >= n ? "label set not closed" : "no ',' or '}' after a label value"};
    }
}

}  // namespace prometheus_detail

/// One well-formed sample line, as the scan found it.
class SampleView {
public:
    /// The metric name: `http_requests_total`.
    std::string_view name() const noexcept { return name_; }
    /// The text between the braces, as written; empty without labels.
    std::string_view label_text() const noexcept {
        return labels_.empty() ? labels_ : labels_.substr(0, labels_.size() - 1);
    }
    /// Calls f(const LabelView &) for each label, in the order written. When
    /// f returns bool, false stops the walk.
    template <typename F>
    void for_each_label(F &&f) const {
        if (labels_.empty()) return;
        std::size_t i = 0;
        bool going = true;
        (void)prometheus_detail::read_labels(labels_, i, max_labels_, [&](const LabelView &l) {
            if (!going) return;
            if constexpr (std::is_same_v<std::invoke_result_t<F &, const LabelView &>, bool>) {
                going = f(l);
            } else {
                f(l);
            }
        });
    }
    /// The unescaped value of label `name` (the first, if written twice).
    std::optional<std::string> label(std::string_view name) const {
        std::optional<std::string> out;
        for_each_label([&](const LabelView &l) {
            if (l.name() != name) return true;
            out = l.value();
            return false;
        });
        return out;
    }
    /// Whether label `name` is there with the unescaped value `value`;
    /// allocates nothing.
    bool has_label(std::string_view name, std::string_view value) const {
        bool found = false;
        for_each_label([&](const LabelView &l) {
            if (l.name() != name) return true;
            found = l.value_is(value);
            return false;
        });
        return found;
    }
    double value() const noexcept { return value_; }
    /// Milliseconds since the epoch, when the line gives them.
    std::optional<int64_t> timestamp() const noexcept {
        return has_timestamp_ ? std::optional<int64_t>(timestamp_) : std::nullopt;
    }
    /// The family the sample belongs to (see the header comment); its own
    /// name when no `# TYPE` line claims it.
    std::string_view family() const noexcept { return family_; }
    MetricType type() const noexcept { return type_; }
    /// The family's `# HELP` text as written (escapes and all); empty if none.
    std::string_view raw_help() const noexcept { return help_; }
    /// The line number, from 1.
    std::size_t line() const noexcept { return line_; }

    /// Whether this sample counts toward the metric `wanted` when summing:
    /// its name is `wanted`, or it is a counter's value and `wanted` names
    /// that counter with or without `_total` (`x` and `x_total` alike; never
    /// `x_created`).
    bool counts_as(std::string_view wanted) const noexcept;

private:
    template <typename OnSample, typename OnFamily>
    friend ScanSummary scan(std::string_view, const Limits &, OnSample &&, OnFamily &&);

    std::string_view name_;
    std::string_view labels_;  // between the braces, the closing one included
    std::size_t max_labels_ = kMaxLabels;
    double value_ = 0;
    int64_t timestamp_ = 0;
    bool has_timestamp_ = false;
    std::string_view family_;
    MetricType type_ = MetricType::untyped;
    std::string_view help_;
    std::size_t line_ = 0;
};

/// A `# HELP` or `# TYPE` line, as scan() hands it to its on_family.
struct FamilyLine {
    enum Kind { help, type } kind;
    std::string_view name;
    MetricType metric_type;     ///< for a TYPE line
    std::string_view raw_help;  ///< for a HELP line: as written, escapes and all
};

namespace prometheus_detail {

// What a sample counts toward when summing (SampleView::counts_as): its own
// name, and for a counter's value sample the counter's name with and without
// `_total`. Made once per sample, asked once per wanted name.
class CountsToward {
public:
    CountsToward(std::string_view sample, std::string_view family, MetricType type) noexcept
        : name_(sample) {
        if (type != MetricType::counter) return;
        base_ = ends_with(family, "_total") ? family.substr(0, family.size() - 6) : family;
        counter_value_ = sample == base_ || is_concat(sample, base_, "_total");
    }
    bool operator()(std::string_view wanted) const noexcept {
        return wanted == name_ ||
               (counter_value_ && (wanted == base_ || is_concat(wanted, base_, "_total")));
    }

private:
    std::string_view name_;
    std::string_view base_;
    bool counter_value_ = false;
};

inline bool belongs_to(std::string_view sample, std::string_view family, MetricType type) noexcept {
    if (sample == family) return true;
    if (family.empty() || sample.size() <= family.size() ||
        sample.substr(0, family.size()) != family)
        return false;
    const std::string_view suffix = sample.substr(family.size());
    switch (type) {
        case MetricType::counter: return suffix == "_total" || suffix == "_created";
        case MetricType::histogram:
            return suffix == "_bucket" || suffix == "_sum" || suffix == "_count" ||
                   suffix == "_created";
        case MetricType::summary:
            return suffix == "_sum" || suffix == "_count" || suffix == "_created";
        case MetricType::gauge:
        case MetricType::untyped: break;
    }
    return false;
}

}  // namespace prometheus_detail

inline bool SampleView::counts_as(std::string_view wanted) const noexcept {
    return prometheus_detail::CountsToward(name_, family_, type_)(wanted);
}

namespace prometheus_detail {

inline std::optional<MetricType> type_named(std::string_view word) noexcept {
    if (word == "counter") return MetricType::counter;
    if (word == "gauge") return MetricType::gauge;
    if (word == "histogram") return MetricType::histogram;
    if (word == "summary") return MetricType::summary;
    if (word == "untyped" || word == "unknown" || word == "gaugehistogram" || word == "stateset" ||
        word == "info")
        return MetricType::untyped;
    return std::nullopt;
}

// A comment line (line[0] == '#'): a HELP or TYPE line fills `out` and
// returns true; any other comment returns false. A malformed HELP or TYPE
// line sets `fault`.
inline bool read_comment(std::string_view line, FamilyLine &out, Fault &fault) {
    std::size_t i = 1;
    skip_blanks(line, i);
    const std::size_t word_start = i;
    while (i < line.size() && !is_blank(line[i])) ++i;
    const std::string_view word = line.substr(word_start, i - word_start);
    const bool help = word == "HELP";
    if (!help && word != "TYPE") return false;
    skip_blanks(line, i);
    const std::size_t name_start = i;
    if (i >= line.size() || !is_name_start(line[i])) {
        fault = {help ? "no metric name after # HELP" : "no metric name after # TYPE"};
        return true;
    }
    while (i < line.size() && is_name_char(line[i])) ++i;
    out.name = line.substr(name_start, i - name_start);
    if (i < line.size() && !is_blank(line[i])) {
        fault = {"invalid metric name"};
        return true;
    }
    skip_blanks(line, i);
    if (help) {
        out.kind = FamilyLine::help;
        out.metric_type = MetricType::untyped;
        out.raw_help = line.substr(i);
        return true;
    }
    out.kind = FamilyLine::type;
    const std::optional<MetricType> type = type_named(line.substr(i));
    if (!type) {
        fault = {i >= line.size() ? "no type after # TYPE and the metric name"
                                  : "unknown metric type"};
        return true;
    }
    out.metric_type = *type;
    return true;
}

// A sample line (trimmed, not empty, not a comment): its parts, or why not.
inline Fault read_sample(std::string_view line, std::size_t max_labels, std::string_view &name,
                         std::string_view &labels, double &value, int64_t &timestamp,
                         bool &has_timestamp) {
    const std::size_t n = line.size();
    std::size_t i = 0;
    if (!is_name_start(line[0])) return {"invalid metric name"};
    while (i < n && is_name_char(line[i])) ++i;
    name = line.substr(0, i);
    if (i < n && !is_blank(line[i]) && line[i] != '{') return {"invalid metric name"};
    skip_blanks(line, i);
    labels = {};
    if (i < n && line[i] == '{') {
        const std::size_t start = ++i;
        if (Fault f = read_labels(line, i, max_labels, [](const LabelView &) {})) return f;
        labels = line.substr(start, i - start);
        skip_blanks(line, i);
    }
    const std::size_t value_start = i;
    while (i < n && !is_blank(line[i])) ++i;
    if (i == value_start) return {"no value"};
    if (!parse_value(line.substr(value_start, i - value_start), value))
        return {"value is not a number"};
    skip_blanks(line, i);
    has_timestamp = false;
    if (i < n && line[i] != '#') {
        const std::size_t ts_start = i;
        while (i < n && !is_blank(line[i])) ++i;
        if (!parse_timestamp(line.substr(ts_start, i - ts_start), timestamp))
            return {"timestamp is not a whole number of milliseconds"};
        has_timestamp = true;
        skip_blanks(line, i);
    }
    // What is left may only be an OpenMetrics exemplar: "# {...} value".
    if (i < n && line[i] != '#') return {"unexpected text after the timestamp"};
    return {};
}

}  // namespace prometheus_detail

/// The scan under for_each_sample and parse: on_sample(const SampleView &)
/// for each well-formed sample (returning bool: false stops the scan) and
/// on_family(const FamilyLine &) for each well-formed HELP and TYPE line.
template <typename OnSample, typename OnFamily>
ScanSummary scan(std::string_view text, const Limits &limits, OnSample &&on_sample,
                 OnFamily &&on_family) {
    using namespace prometheus_detail;
    ScanSummary summary;
    const auto note = [&](std::size_t line, const Fault &fault) {
        if (summary.problem.empty()) summary.problem = fault_text(line, fault);
    };
    bool cut = false;
    if (text.size() > limits.max_bytes) {
        // Whole lines only: a line cut short could read as another value.
        const std::size_t last_newline =
            limits.max_bytes == 0 ? std::string_view::npos : text.rfind('\n', limits.max_bytes - 1);
        text = last_newline == std::string_view::npos ? std::string_view()
                                                      : text.substr(0, last_newline + 1);
        cut = true;
    }
    // The family of the latest # HELP or # TYPE line: its samples follow it.
    std::string_view family;
    MetricType family_type = MetricType::untyped;
    std::string_view family_help;

    std::size_t pos = 0;
    std::size_t line_number = 0;
    while (pos < text.size()) {
        if (line_number >= limits.max_lines) {
            summary.truncated = true;
            note(line_number + 1, {"more than ", limits.max_lines, " lines: the rest is not read"});
            return summary;
        }
        std::size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos) eol = text.size();
        std::string_view line = text.substr(pos, eol - pos);
        pos = eol + 1;
        ++line_number;
        ++summary.lines;
        if (line.size() > limits.max_line_bytes) {
            ++summary.skipped;
            note(line_number, {"longer than ", limits.max_line_bytes, " bytes"});
            continue;
        }
        while (!line.empty() && (is_blank(line.back()) || line.back() == '\r'))
            line.remove_suffix(1);
        std::size_t lead = 0;
        skip_blanks(line, lead);
        line.remove_prefix(lead);
        if (line.empty()) continue;

        Fault fault;
        if (line[0] == '#') {
            FamilyLine f{};
            if (!read_comment(line, f, fault)) continue;
            if (fault) {
                ++summary.skipped;
                note(line_number, fault);
                continue;
            }
            if (f.name != family) {
                family = f.name;
                family_type = MetricType::untyped;
                family_help = {};
            }
            if (f.kind == FamilyLine::type) {
                family_type = f.metric_type;
            } else {
                family_help = f.raw_help;
            }
            on_family(static_cast<const FamilyLine &>(f));
            continue;
        }

        SampleView s;
        fault = read_sample(line, limits.max_labels, s.name_, s.labels_, s.value_, s.timestamp_,
                            s.has_timestamp_);
        if (fault) {
            ++summary.skipped;
            note(line_number, fault);
            continue;
        }
        s.max_labels_ = limits.max_labels;
        s.line_ = line_number;
        if (belongs_to(s.name_, family, family_type)) {
            s.family_ = family;
            s.type_ = family_type;
            s.help_ = family_help;
        } else {
            s.family_ = s.name_;
        }
        ++summary.samples;
        if constexpr (std::is_same_v<std::invoke_result_t<OnSample &, const SampleView &>, bool>) {
            if (!on_sample(static_cast<const SampleView &>(s))) return summary;
        } else {
            on_sample(static_cast<const SampleView &>(s));
        }
    }
    if (cut) {
        summary.truncated = true;
        note(line_number + 1, {"more than ", limits.max_bytes, " bytes: the rest is not read"});
    }
    return summary;
}

/// Calls on_sample(const SampleView &) for each well-formed sample line of
/// `text`, in order; when on_sample returns bool, false stops the scan.
/// Allocates nothing per line.
template <typename OnSample>
ScanSummary for_each_sample(std::string_view text, OnSample &&on_sample,
                            const Limits &limits = {}) {
    return scan(text, limits, std::forward<OnSample>(on_sample), [](const FamilyLine &) {});
}

/// A `# HELP` unescaped: `\\` and `\n` (any other backslash kept).
inline std::string unescape_help(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    prometheus_detail::unescape(raw, true, [&](char c) { out += c; });
    return out;
}

/// Counter values by name, sorted by name: the totals a worker read, or their
/// growth over a window. A name that is absent reads as 0.
///
/// JSON both ways is an object of name -> number; a value that is not finite
/// is written as null (JSON has no NaN or infinity) and null reads back as
/// NaN.
class Counters {
public:
    using Map = std::map<std::string, double, std::less<>>;

    Counters() = default;
    Counters(std::initializer_list<Map::value_type> values) : values_(values) {}

    /// The value of `name`; 0 when absent.
    double get(std::string_view name) const {
        const auto it = values_.find(name);
        return it == values_.end() ? 0.0 : it->second;
    }
    bool has(std::string_view name) const { return values_.find(name) != values_.end(); }
    void set(std::string_view name, double value) {
        const auto it = values_.find(name);
        if (it != values_.end()) {
            it->second = value;
        } else {
            values_.emplace(std::string(name), value);
        }
    }

    const Map &values() const noexcept { return values_; }
    Map::const_iterator begin() const noexcept { return values_.begin(); }
    Map::const_iterator end() const noexcept { return values_.end(); }
    std::size_t size() const noexcept { return values_.size(); }
    bool empty() const noexcept { return values_.empty(); }

    /// Whether some counter is lower than in `earlier`: the process began
    /// again. Only counters present and finite in both are compared.
    bool went_back_from(const Counters &earlier) const {
        for (const auto &[name, value] : values_) {
            const auto it = earlier.values_.find(name);
            if (it != earlier.values_.end() && std::isfinite(value) && std::isfinite(it->second) &&
                value < it->second)
                return true;
        }
        return false;
    }

    /// Each counter's growth since `earlier`, for every name here (absent
    /// there: from 0). Growth from or to a value that is not finite is
    /// unknown and reads as 0.
    Counters minus(const Counters &earlier) const {
        Counters out;
        for (const auto &[name, value] : values_) {
            const double before = earlier.get(name);
            const double delta = std::isfinite(value) && std::isfinite(before) ? value - before : 0;
            out.values_.emplace_hint(out.values_.end(), name, delta);
        }
        return out;
    }

    nlohmann::json to_json() const {
        nlohmann::json out = nlohmann::json::object();
        for (const auto &[name, value] : values_)
            out[name] = std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
        return out;
    }

    /// Numbers are read; null as NaN; anything else (and a non-object) is
    /// skipped.
    static Counters from_json(const nlohmann::json &in) {
        Counters out;
        if (!in.is_object()) return out;
        for (const auto &[name, value] : in.items()) {
            if (value.is_number()) {
                out.values_.emplace(name, value.get<double>());
            } else if (value.is_null()) {
                out.values_.emplace(name, std::numeric_limits<double>::quiet_NaN());
            }
        }
        return out;
    }

    /// from_json of the value at `key` of a document the plugin wrote (its
    /// observed facts); empty when the key is absent or the document is not
    /// an object.
    static Counters from_json_at(const nlohmann::json &document, const char *key) {
        if (!document.is_object()) return Counters();
        const auto it = document.find(key);
        return it == document.end() ? Counters() : from_json(*it);
    }

    /// Each metric in `names` (a range of string-like) summed over all its
    /// series in a Prometheus text, `x` and `x_total` alike for a counter
    /// (SampleView::counts_as). Every name is there, 0 when the text has no
    /// series of it; a NaN sample makes its sum NaN. The scan's summary goes
    /// to `summary` when given.
    template <typename Names>
    static Counters sum_of(std::string_view text, const Names &names,
                           ScanSummary *summary = nullptr, const Limits &limits = {}) {
        std::vector<std::string_view> wanted;
        for (const auto &name : names) wanted.emplace_back(name);
        std::vector<double> sums(wanted.size(), 0.0);
        ScanSummary read = for_each_sample(
            text,
            [&](const SampleView &s) {
                const prometheus_detail::CountsToward counts(s.name(), s.family(), s.type());
                for (std::size_t i = 0; i < wanted.size(); ++i)
                    if (counts(wanted[i])) sums[i] += s.value();
            },
            limits);
        Counters out;
        for (std::size_t i = 0; i < wanted.size(); ++i) out.set(wanted[i], sums[i]);
        if (summary != nullptr) *summary = std::move(read);
        return out;
    }
    static Counters sum_of(std::string_view text, std::initializer_list<std::string_view> names,
                           ScanSummary *summary = nullptr, const Limits &limits = {}) {
        return sum_of<std::initializer_list<std::string_view>>(text, names, summary, limits);
    }

    friend bool operator==(const Counters &a, const Counters &b) { return a.values_ == b.values_; }
    friend bool operator!=(const Counters &a, const Counters &b) { return !(a == b); }

private:
    Map values_;
};

/// A metric family: its name, its `# TYPE` and its `# HELP`, unescaped.
struct Family {
    std::string name;
    MetricType type = MetricType::untyped;
    std::string help;
};

/// One label of an owned sample, unescaped.
struct Label {
    std::string name;
    std::string value;
};

/// One sample, owned.
struct Sample {
    std::string name;
    std::vector<Label> labels;  ///< in the order written
    double value = 0;
    std::optional<int64_t> timestamp;  ///< ms since the epoch, when given
    std::string family;                ///< as SampleView::family
    MetricType type = MetricType::untyped;

    /// The value of label `label_name` (the first, if written twice).
    std::optional<std::string> label(std::string_view label_name) const {
        for (const Label &l : labels)
            if (l.name == label_name) return l.value;
        return std::nullopt;
    }
};

class Exposition;
Exposition parse(std::string_view text, const Limits &limits = {});

/// A whole Prometheus text, owned: what parse() returns.
class Exposition {
public:
    /// Families from `# HELP` and `# TYPE` lines, in the order first named.
    const std::vector<Family> &families() const noexcept { return families_; }
    /// Well-formed samples, in order.
    const std::vector<Sample> &samples() const noexcept { return samples_; }
    const ScanSummary &summary() const noexcept { return summary_; }

    /// The family named `name`; nullptr when no HELP or TYPE line names it.
    const Family *family(std::string_view name) const {
        const auto it = index_.find(name);
        return it == index_.end() ? nullptr : &families_[it->second];
    }

    /// The family a sample named `sample_name` belongs to: the family of
    /// that name, else the one it is a suffix of by that family's type
    /// (`x_total` of counter `x`, `x_bucket` of histogram `x`, ...); nullptr
    /// when none.
    const Family *family_of(std::string_view sample_name) const {
        if (const Family *f = family(sample_name)) return f;
        for (const std::string_view suffix : {"_total", "_created", "_bucket", "_sum", "_count"}) {
            if (!prometheus_detail::ends_with(sample_name, suffix)) continue;
            const Family *f = family(sample_name.substr(0, sample_name.size() - suffix.size()));
            if (f != nullptr && prometheus_detail::belongs_to(sample_name, f->name, f->type))
                return f;
        }
        return nullptr;
    }

    /// The type of the family `sample_name` belongs to; untyped when none.
    MetricType type_of(std::string_view sample_name) const {
        const Family *f = family_of(sample_name);
        return f == nullptr ? MetricType::untyped : f->type;
    }

    /// The sum of every series of `name`, `x` and `x_total` alike for a
    /// counter (as Counters::sum_of); 0 when there is none.
    double sum(std::string_view name) const {
        double total = 0;
        for (const Sample &s : samples_)
            if (prometheus_detail::CountsToward(s.name, s.family, s.type)(name)) total += s.value;
        return total;
    }

    /// The value of the first series of `name` whose labels include all of
    /// `labels` (name, unescaped value); nothing when none matches.
    std::optional<double> value(
        std::string_view name,
        std::initializer_list<std::pair<std::string_view, std::string_view>> labels = {}) const {
        for (const Sample &s : samples_) {
            if (s.name != name) continue;
            bool all = true;
            for (const auto &[label, wanted] : labels) {
                bool found = false;
                for (const Label &l : s.labels) {
                    if (l.name != label) continue;
                    found = l.value == wanted;
                    break;
                }
                all = all && found;
            }
            if (all) return s.value;
        }
        return std::nullopt;
    }

private:
    friend Exposition parse(std::string_view text, const Limits &limits);

    std::vector<Family> families_;
    std::vector<Sample> samples_;
    ScanSummary summary_;
    std::map<std::string, std::size_t, std::less<>> index_;
};

/// Reads a whole Prometheus text into an Exposition (see the header comment
/// for what is read and what is skipped). Never throws for what the text
/// holds.
inline Exposition parse(std::string_view text, const Limits &limits) {
    Exposition out;
    const auto family_named = [&](std::string_view name) -> Family & {
        const auto it = out.index_.find(name);
        if (it != out.index_.end()) return out.families_[it->second];
        out.index_.emplace(std::string(name), out.families_.size());
        out.families_.push_back(Family{std::string(name), MetricType::untyped, {}});
        return out.families_.back();
    };
    out.summary_ = scan(
        text, limits,
        [&](const SampleView &view) {
            Sample s;
            s.name = std::string(view.name());
            view.for_each_label([&](const LabelView &l) {
                s.labels.push_back(Label{std::string(l.name()), l.value()});
            });
            s.value = view.value();
            s.timestamp = view.timestamp();
            s.family = std::string(view.family());
            s.type = view.type();
            out.samples_.push_back(std::move(s));
        },
        [&](const FamilyLine &line) {
            Family &f = family_named(line.name);
            if (line.kind == FamilyLine::type) {
                f.type = line.metric_type;
            } else {
                f.help = unescape_help(line.raw_help);
            }
        });
    return out;
}

}  // namespace warden::kit

#endif  // WARDEN_KIT_PROMETHEUS_HPP
