#include "server/query_string.hpp"

#include <cctype>
#include <cstdio>

namespace aai::local {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

}  // namespace

std::string percent_decode(const std::string& text) {
  std::string decoded;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      decoded += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      decoded += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      decoded += text[i];
    }
  }
  return decoded;
}

std::string percent_encode(const std::string& text) {
  std::string encoded;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      encoded += c;
    } else {
      char escape[4];
      std::snprintf(escape, sizeof escape, "%%%02X", byte);
      encoded += escape;
    }
  }
  return encoded;
}

RequestTarget parse_target(const std::string& target) {
  RequestTarget parsed;
  size_t question = target.find('?');
  parsed.path = target.substr(0, question);
  if (question == std::string::npos) {
    return parsed;
  }
  std::string query = target.substr(question + 1);
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    std::string pair = query.substr(start, end == std::string::npos ? end : end - start);
    if (!pair.empty()) {
      size_t equals = pair.find('=');
      std::string name = percent_decode(pair.substr(0, equals));
      std::string value =
          equals == std::string::npos ? "" : percent_decode(pair.substr(equals + 1));
      parsed.query.emplace(std::move(name), std::move(value));
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return parsed;
}

}  // namespace aai::local
