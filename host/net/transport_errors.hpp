// Maps cpprestsdk failures to TransportError with messages a user can act on.
#pragma once

#include "host/net/exported_interface.hpp"

#include <chrono>
#include <exception>
#include <filesystem>
#include <string>

namespace aai::host {

/// Converts an exception raised by cpprestsdk while sending to `url` into a TransportError.
/// `timeout` is the request's inactivity timeout, quoted in the timed-out message.
TransportError to_transport_error(const std::exception& error, const std::string& url,
                                  std::chrono::milliseconds timeout);

/// Error for a request that the caller cancelled.
TransportError make_cancelled_error(const std::string& url);

/// Error for a body file that cannot be opened or sized; `reason` is the system's wording.
TransportError make_file_unreadable_error(const std::filesystem::path& file, const std::string& url,
                                          const std::string& reason);

/// Formats a duration as whole seconds ("30 s") when it has no fraction, else in ms ("250 ms").
std::string format_duration(std::chrono::milliseconds duration);

}  // namespace aai::host
