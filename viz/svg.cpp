/// @file svg.cpp
/// @brief The SVG writer and the atomic file save (see svg.h).
#include "viz/svg.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "tensor/error.h"

namespace embedlab::viz {

namespace {

// U+FFFD, the replacement character, drawn instead of bytes XML cannot hold.
constexpr const char* kReplacement = "\xEF\xBF\xBD";

// Returns the length (1 to 4) of the valid UTF-8 character at text[i], or 0 when the bytes
// there are not valid UTF-8: a stray continuation byte, a cut-off sequence, an overlong form
// or a surrogate. An XML reader refuses the whole file over one such byte.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;  // allowed range of the second byte
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // below is overlong
    if (lead == 0xED) high = 0x9F;  // above are the surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // below is overlong
    if (lead == 0xF4) high = 0x8F;  // above is past U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  const auto second = static_cast<unsigned char>(text[i + 1]);
  if (second < low || second > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 0;
  }
  return length;
}

// The entity for an ASCII character XML treats specially, or nullptr.
const char* entity_for(char c) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\'':
      return "&apos;";
    default:
      return nullptr;
  }
}

}  // namespace

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = utf8_length(text, i);
    const char c = text[i];
    const bool control =
        static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r';
    if (length == 0 || control) {
      out += kReplacement;  // XML 1.0 allows neither broken UTF-8 nor control characters
      i += 1;
    } else if (length > 1) {
      out.append(text.substr(i, length));  // a valid multi-byte character, such as 猫
      i += length;
    } else {
      const char* entity = entity_for(c);
      out += entity != nullptr ? entity : std::string(1, c);
      i += 1;
    }
  }
  return out;
}

double estimate_text_width(std::string_view text, double font_size) {
  double ems = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    // Three- and four-byte characters are CJK, kana, emoji: about a full em wide. A broken
    // byte is drawn as one replacement character, counted like a letter.
    const std::size_t length = utf8_length(text, i);
    ems += length >= 3 ? 1.0 : 0.55;
    i += length == 0 ? 1 : length;
  }
  return ems * font_size;
}

std::string palette_colour(std::size_t index) {
  // The ten colours of Tableau 10 (matplotlib's default cycle): distinct, and readable on white.
  static const char* const kColours[10] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  return kColours[index % 10];
}

std::string svg_number(double value) {
  std::string text = fmt::format("{:.2f}", value);
  // Trim "12.50" to "12.5" and "3.00" to "3": the file stays short and easy to read.
  while (text.back() == '0')
    text.pop_back();
  if (text.back() == '.') text.pop_back();
  if (text == "-0") text = "0";
  return text;
}

SvgWriter::SvgWriter(double width, double height) : width_(width), height_(height) {}

void SvgWriter::rect(double x, double y, double w, double h, std::string_view fill,
                     std::string_view stroke, double stroke_width) {
  body_ += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}")", svg_number(x),
                       svg_number(y), svg_number(w), svg_number(h), fill);
  if (stroke != "none") {
    body_ += fmt::format(R"( stroke="{}" stroke-width="{}")", stroke, svg_number(stroke_width));
  }
  body_ += "/>\n";
}

void SvgWriter::line(double x1, double y1, double x2, double y2, std::string_view stroke,
                     double stroke_width, std::string_view dash) {
  body_ += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}")",
                       svg_number(x1), svg_number(y1), svg_number(x2), svg_number(y2), stroke,
                       svg_number(stroke_width));
  if (!dash.empty()) body_ += fmt::format(R"( stroke-dasharray="{}")", dash);
  body_ += "/>\n";
}

void SvgWriter::polyline(const std::vector<PixelPoint>& points, std::string_view stroke,
                         double stroke_width) {
  std::string coords;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (i > 0) coords += ' ';
    coords += svg_number(points[i].x) + ',' + svg_number(points[i].y);
  }
  body_ += fmt::format(R"(<polyline points="{}" fill="none" stroke="{}" stroke-width="{}" )"
                       R"(stroke-linejoin="round" stroke-linecap="round"/>)"
                       "\n",
                       coords, stroke, svg_number(stroke_width));
}

void SvgWriter::circle(double cx, double cy, double r, std::string_view fill,
                       std::string_view stroke) {
  body_ += fmt::format(R"(<circle cx="{}" cy="{}" r="{}" fill="{}")", svg_number(cx),
                       svg_number(cy), svg_number(r), fill);
  if (stroke != "none") body_ += fmt::format(R"( stroke="{}")", stroke);
  body_ += "/>\n";
}

void SvgWriter::text(double x, double y, std::string_view text, const TextStyle& style) {
  body_ += fmt::format(R"(<text x="{}" y="{}" font-size="{}" fill="{}")", svg_number(x),
                       svg_number(y), svg_number(style.size), style.fill);
  if (style.anchor != "start") body_ += fmt::format(R"( text-anchor="{}")", style.anchor);
  if (style.bold) body_ += R"( font-weight="bold")";
  if (style.halo) {
    // paint-order draws the white stroke first, under the letters.
    body_ += R"( stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke")";
  }
  if (style.rotate != 0) {
    body_ += fmt::format(R"svg( transform="rotate({} {} {})")svg", svg_number(style.rotate),
                         svg_number(x), svg_number(y));
  }
  body_ += fmt::format(">{}</text>\n", escape_xml(text));
}

void SvgWriter::begin_group(std::string_view class_name) {
  body_ += fmt::format(R"(<g class="{}">)"
                       "\n",
                       escape_xml(class_name));
  ++open_groups_;
}

void SvgWriter::end_group() {
  if (open_groups_ == 0) return;  // nothing open: ignore rather than write a broken file
  body_ += "</g>\n";
  --open_groups_;
}

std::string SvgWriter::finish() const {
  std::string doc = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" )"
      R"(font-family="{2}">)"
      "\n",
      svg_number(width_), svg_number(height_), kFontFamily);
  doc += body_;
  for (int i = 0; i < open_groups_; ++i)
    doc += "</g>\n";  // close what the caller left open
  doc += "</svg>\n";
  return doc;
}

namespace {

// Writes all of `content` to the open file `fd`; write() may take fewer bytes than asked.
bool write_all(int fd, std::string_view content) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// `path` + ".tmp.XXXXXX" for mkstemp, with the file name cut short when needed so the
// temporary name stays within NAME_MAX (255 bytes): a target whose own name is 250 bytes long
// must still be writable. The cut keeps whole UTF-8 sequences.
std::string temp_template_for(const std::string& path) {
  constexpr size_t kSuffix = 11;  // ".tmp.XXXXXX"
  const size_t slash = path.rfind('/');
  const size_t name_size = slash == std::string::npos ? path.size() : path.size() - slash - 1;
  if (name_size + kSuffix <= NAME_MAX) return path + ".tmp.XXXXXX";
  size_t end = path.size() - name_size + (NAME_MAX - kSuffix);
  while (end > 0 && (static_cast<unsigned char>(path[end]) & 0xC0) == 0x80)
    --end;  // path[end] continues a UTF-8 sequence: cut before the sequence starts
  return path.substr(0, end) + ".tmp.XXXXXX";
}
}  // namespace

void save_text_atomically(const std::string& path, std::string_view content) {
  // Phase 1: a uniquely named temporary file next to the target (same folder, so that the
  // rename below stays on one file system and is atomic).
  std::string temp_path = temp_template_for(path);
  const int fd = ::mkstemp(temp_path.data());
  if (fd < 0) {
    throw IOError(fmt::format("save: cannot create a temporary file for \"{}\": {}", path,
                              std::strerror(errno)));
  }
  // Phase 2: the whole text, flushed to disk. mkstemp makes the file private (0600); a
  // picture should be readable like any other file.
  static_cast<void>(::fchmod(fd, 0644));
  const bool written = write_all(fd, content) && ::fsync(fd) == 0;
  const int write_errno = errno;
  const bool closed = ::close(fd) == 0;
  if (!written || !closed) {
    std::remove(temp_path.c_str());
    throw IOError(fmt::format("save: cannot write \"{}\": {}", path,
                              std::strerror(written ? errno : write_errno)));
  }
  // Phase 3: replace the target in one step; a reader sees the old file or the new one.
  if (std::rename(temp_path.c_str(), path.c_str()) != 0) {
    const int rename_errno = errno;
    std::remove(temp_path.c_str());
    throw IOError(
        fmt::format("save: cannot replace \"{}\": {}", path, std::strerror(rename_errno)));
  }
}

}  // namespace embedlab::viz
