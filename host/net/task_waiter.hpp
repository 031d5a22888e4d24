// Waits for cpprestsdk tasks on the calling thread while honouring TransportRequest's
// cancellation and progress callbacks.
#pragma once

#include "host/net/exported_interface.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <memory>

#include <pplx/pplxtasks.h>

#include "host/net/transport_errors.hpp"

namespace aai::host {

/// Runs the caller's callbacks on the caller's thread only: cpprestsdk reports upload progress
/// on its thread pool, so the progress handler only stores a count that wait() passes on.
class TaskWaiter {
 public:
  /// How often wait() polls is_cancelled and reports upload progress.
  static constexpr std::chrono::milliseconds kPollInterval{100};

  /// `request` must outlive the waiter; `body_size` is the total reported to on_progress.
  TaskWaiter(const TransportRequest& request, uint64_t body_size);

  pplx::cancellation_token token() const { return cancellation_.get_token(); }

  /// Counter the request's progress handler stores the uploaded byte count in.
  std::shared_ptr<std::atomic<uint64_t>> uploaded_bytes() const { return uploaded_bytes_; }

  /// Cancels the request: cpprestsdk closes the connection and pending tasks fail.
  void cancel();

  /// Throws the cancelled error if the caller's is_cancelled returns true.
  void throw_if_cancelled();

  /// Reports the whole body as sent, once the response has started to arrive.
  void report_upload_complete();

  /// Blocks until `task` finishes and returns its result. Throws TransportError: kCancelled
  /// after a cancellation, else the mapped cpprestsdk failure. It returns only once the task
  /// has finished, so buffers the task writes to may live on the caller's stack.
  template <typename T>
  T wait(pplx::task<T> task) {
    auto finished = std::make_shared<std::promise<void>>();
    std::future<void> finished_future = finished->get_future();
    task.then([finished](pplx::task<T>) { finished->set_value(); });
    while (finished_future.wait_for(kPollInterval) != std::future_status::ready) {
      poll();
    }
    report_progress();
    if (cancelled_) {
      discard_result(task);
      throw make_cancelled_error(request_.url);
    }
    try {
      return task.get();
    } catch (const TransportError&) {
      throw;
    } catch (const std::exception& error) {
      throw to_transport_error(error, request_.url, effective_read_timeout(request_));
    }
  }

 private:
  void poll();
  void report_progress();

  template <typename T>
  static void discard_result(pplx::task<T>& task) {
    // The task fails once the connection is closed; that failure is the cancellation itself.
    try {
      task.get();
    } catch (...) {
      return;
    }
  }

  const TransportRequest& request_;
  uint64_t body_size_;
  uint64_t reported_bytes_ = 0;
  bool cancelled_ = false;
  pplx::cancellation_token_source cancellation_;
  std::shared_ptr<std::atomic<uint64_t>> uploaded_bytes_;
};

}  // namespace aai::host
