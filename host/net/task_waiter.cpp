#include "host/net/task_waiter.hpp"

namespace aai::host {

TaskWaiter::TaskWaiter(const TransportRequest& request, uint64_t body_size)
    : request_(request),
      body_size_(body_size),
      uploaded_bytes_(std::make_shared<std::atomic<uint64_t>>(0)) {}

void TaskWaiter::cancel() {
  cancelled_ = true;
  cancellation_.cancel();
}

void TaskWaiter::throw_if_cancelled() {
  if (request_.is_cancelled && request_.is_cancelled()) {
    cancel();
    throw make_cancelled_error(request_.url);
  }
}

void TaskWaiter::report_upload_complete() {
  uploaded_bytes_->store(body_size_);
  report_progress();
}

void TaskWaiter::poll() {
  report_progress();
  if (!cancelled_ && request_.is_cancelled && request_.is_cancelled()) {
    cancel();
  }
}

void TaskWaiter::report_progress() {
  const uint64_t uploaded = uploaded_bytes_->load();
  if (!request_.on_progress || body_size_ == 0 || uploaded == reported_bytes_) {
    return;
  }
  reported_bytes_ = uploaded;
  request_.on_progress(uploaded, body_size_);
}

}  // namespace aai::host
