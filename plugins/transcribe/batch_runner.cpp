#include "batch_runner.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "audio_source.hpp"
#include "poll_schedule.hpp"
#include "sidecar.hpp"
#include "transcript_api.hpp"

namespace transcribe {
namespace {

using Clock = std::chrono::steady_clock;

// A queue that several threads push to and pop from. close() drops what is queued and makes
// every pop return nullopt, so blocked workers wake up and end.
template <typename T>
class Channel {
 public:
  void push(T item) {
    {
      const std::lock_guard lock(mutex_);
      if (closed_) {
        return;
      }
      items_.push_back(std::move(item));
    }
    ready_.notify_one();
  }

  // Blocks until an item arrives or the channel closes.
  std::optional<T> pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return closed_ || !items_.empty(); });
    return take(lock);
  }

  // Waits at most `timeout` for an item. Returns nullopt when none came.
  std::optional<T> pop_for(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    ready_.wait_for(lock, timeout, [this] { return !items_.empty(); });
    return take(lock);
  }

  void close() {
    {
      const std::lock_guard lock(mutex_);
      closed_ = true;
      items_.clear();
    }
    ready_.notify_all();
  }

 private:
  std::optional<T> take(std::unique_lock<std::mutex>&) {
    if (items_.empty()) {
      return std::nullopt;
    }
    T item = std::move(items_.front());
    items_.pop_front();
    return item;
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<T> items_;
  bool closed_ = false;
};

// A transcript the main thread polls, with what its final sidecar needs.
struct Waiting {
  size_t index = 0;
  std::string audio_sha256;
  std::string submitted_at;
  // Whether the id came from a sidecar of an earlier run, so a 404 means "redo" there.
  bool resumed = false;
};

struct Job {
  enum class Kind { kStart, kFinish };
  Kind kind = Kind::kStart;
  size_t index = 0;
  // kStart: ignore a submitted sidecar, because the service no longer has its transcript.
  bool ignore_submitted = false;
  // kFinish: the completed or failed transcript, released once its sidecar is written.
  nlohmann::json transcript;
  Waiting waiting;
  // kFinish: the --llm outputs for a completed transcript.
  std::optional<ChainResult> chain_result;
};

struct Event {
  enum class Kind { kSkipped, kSubmitted, kCompleted, kFailed, kDropped, kNote };
  Kind kind = Kind::kDropped;
  size_t index = 0;
  std::string transcript_id;
  std::string sidecar;
  Waiting waiting;
  std::optional<aai::Error> error;
  std::string note;
};

std::string member_text(const nlohmann::json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

class Batch {
 public:
  Batch(const aai::Host& host, const BatchSettings& settings, const CompleteFunction& complete)
      : host_(host),
        settings_(settings),
        complete_(complete),
        api_(host, settings.api_base),
        schedule_(settings.poll_initial, settings.poll_max),
        options_record_(request_options_record(settings.params, settings.chain.prompts,
                                               settings.chain.model, settings.chain.max_tokens)),
        options_sha256_(options_digest(options_record_)) {
    outcome_.counts.total = settings.sources.size();
    outcome_.succeeded.assign(settings.sources.size(), false);
  }

  BatchOutcome run() {
    started_ = Clock::now();
    const size_t worker_count = std::min(settings_.concurrency, settings_.sources.size());
    try {
      for (size_t i = 0; i < worker_count; ++i) {
        workers_.emplace_back([this] { work(); });
      }
      loop();
    } catch (...) {
      stop_workers();
      host_.clear_progress();
      throw;
    }
    stop_workers();
    // Work that finished while the workers stopped still counts: its sidecar is written.
    while (auto event = events_.pop_for(std::chrono::milliseconds(0))) {
      handle(std::move(*event));
    }
    if (settings_.show_progress) {
      host_.clear_progress();
    }
    outcome_.counts.running = 0;
    outcome_.counts.elapsed_seconds = seconds_since_start();
    return std::move(outcome_);
  }

 private:
  // ---- Main thread ----

  void loop() {
    for (;;) {
      if (!stopping_ && host_.is_interrupted()) {
        stopping_ = true;
        outcome_.interrupted = true;
        jobs_.close();
      }
      if (fatal_) {
        throw *fatal_;
      }
      if (stopping_) {
        return;
      }
      while (in_flight_ < settings_.concurrency && next_index_ < settings_.sources.size()) {
        jobs_.push(Job{Job::Kind::kStart, next_index_++, false, {}, {}, {}});
        ++in_flight_;
      }
      if (next_index_ == settings_.sources.size() && in_flight_ == 0) {
        return;
      }
      poll_due();
      draw_progress();
      if (auto event = events_.pop_for(wait_time())) {
        handle(std::move(*event));
        while (auto more = events_.pop_for(std::chrono::milliseconds(0))) {
          handle(std::move(*more));
        }
      }
    }
  }

  // How long the loop may sleep: until the next poll, at most 100 ms so Ctrl-C is seen promptly.
  std::chrono::milliseconds wait_time() const {
    constexpr std::chrono::milliseconds kMaxWait{100};
    const auto due = schedule_.next_due();
    if (!due) {
      return kMaxWait;
    }
    const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(*due - Clock::now());
    return std::clamp(until, std::chrono::milliseconds(0), kMaxWait);
  }

  void poll_due() {
    for (const std::string& id : schedule_.take_due(Clock::now())) {
      if (host_.is_interrupted()) {
        schedule_.reschedule(id, Clock::now());
        return;
      }
      poll(id);
    }
  }

  void poll(const std::string& id) {
    Waiting waiting = waiting_.at(id);
    nlohmann::json transcript;
    try {
      transcript = api_.get(id, true);
    } catch (const aai::Error& error) {
      if (is_fatal(error) || is_interruption(error)) {
        schedule_.reschedule(id, Clock::now());
        note_fatal_or_interruption(error);
        return;
      }
      forget(id);
      if (waiting.resumed && http_status_of(error) == 404) {
        host_.warn("The service no longer has transcript " + id + " of " + source(waiting.index) +
                   ", so it is transcribed again.");
        jobs_.push(Job{Job::Kind::kStart, waiting.index, true, {}, {}, {}});
        return;
      }
      finish(SourceResult{source(waiting.index), SourceStatus::kFailed, id,
                          sidecar_path_for(source(waiting.index)), error.type(), error.what()});
      return;
    }
    const std::string status = member_text(transcript, "status");
    if (status == "completed" || status == "error") {
      forget(id);
      std::optional<ChainResult> chain_result;
      if (status == "completed" && !settings_.chain.prompts.empty()) {
        chain_result = run_chain(id, waiting);
        if (!chain_result) {
          return;
        }
      }
      jobs_.push(Job{Job::Kind::kFinish, waiting.index, false, std::move(transcript), waiting,
                     std::move(chain_result)});
      return;
    }
    schedule_.reschedule(id, Clock::now());
  }

  // Runs the --llm chain here on the main thread, because the LLM Gateway client reads the
  // environment, which only the main thread may do. Returns nullopt after reporting a failure;
  // the submitted sidecar then stays, so a rerun polls the finished transcript and sends the
  // prompts again.
  std::optional<ChainResult> run_chain(const std::string& id, const Waiting& waiting) {
    try {
      return run_llm_chain(settings_.chain, id, complete_);
    } catch (const aai::Error& error) {
      if (is_fatal(error) || is_interruption(error)) {
        --in_flight_;
        note_fatal_or_interruption(error);
        return std::nullopt;
      }
      finish(SourceResult{source(waiting.index), SourceStatus::kFailed, id,
                          sidecar_path_for(source(waiting.index)), error.type(), error.what()});
      return std::nullopt;
    }
  }

  void forget(const std::string& id) {
    schedule_.remove(id);
    waiting_.erase(id);
  }

  void handle(Event event) {
    const std::string& path = source(event.index);
    switch (event.kind) {
      case Event::Kind::kNote:
        host_.warn(event.note);
        return;
      case Event::Kind::kDropped:
        --in_flight_;
        return;
      case Event::Kind::kSubmitted:
        if (stopping_) {
          --in_flight_;
          return;
        }
        waiting_[event.transcript_id] = event.waiting;
        schedule_.add(event.transcript_id, Clock::now());
        return;
      case Event::Kind::kSkipped:
        finish(
            SourceResult{path, SourceStatus::kSkipped, event.transcript_id, event.sidecar, {}, {}});
        return;
      case Event::Kind::kCompleted:
        finish(SourceResult{
            path, SourceStatus::kCompleted, event.transcript_id, event.sidecar, {}, {}});
        return;
      case Event::Kind::kFailed:
        if (is_fatal(*event.error) || is_interruption(*event.error)) {
          --in_flight_;
          note_fatal_or_interruption(*event.error);
          return;
        }
        finish(SourceResult{path, SourceStatus::kFailed, event.transcript_id, event.sidecar,
                            event.error->type(), event.error->what()});
        return;
    }
  }

  static bool is_fatal(const aai::Error& error) {
    return error.exit_code() == AAI_EXIT_NOT_AUTHENTICATED;
  }
  static bool is_interruption(const aai::Error& error) {
    return error.exit_code() == AAI_EXIT_INTERRUPTED;
  }

  void note_fatal_or_interruption(const aai::Error& error) {
    if (is_fatal(error)) {
      if (!fatal_) {
        fatal_ = error;
      }
      stopping_ = true;
      jobs_.close();
    } else if (!stopping_) {
      stopping_ = true;
      outcome_.interrupted = true;
      jobs_.close();
    }
  }

  void finish(const SourceResult& result) {
    --in_flight_;
    BatchCounts& counts = outcome_.counts;
    switch (result.status) {
      case SourceStatus::kCompleted:
        ++counts.completed;
        outcome_.succeeded[index_of(result.source)] = true;
        break;
      case SourceStatus::kSkipped:
        ++counts.skipped;
        outcome_.succeeded[index_of(result.source)] = true;
        break;
      case SourceStatus::kFailed:
        ++counts.failed;
        host_.info("Source " + result.source + " failed (" + result.error_type +
                   "): " + result.error_message);
        outcome_.failures.push_back(result);
        break;
    }
    // The host hides the progress line while the result is written, and the next draw
    // restores it with its elapsed time.
    if (settings_.json) {
      host_.write(result_json(result).dump() + "\n");
    } else if (settings_.results_on_stderr) {
      std::string line = result_text(result);
      line.pop_back();
      host_.note(line);
    } else {
      host_.write(result_text(result));
    }
  }

  size_t index_of(const std::string& path) const {
    // Sources are sorted, so the index is found by binary search.
    const auto& sources = settings_.sources;
    return static_cast<size_t>(std::lower_bound(sources.begin(), sources.end(), path) -
                               sources.begin());
  }

  void draw_progress() {
    if (!settings_.show_progress) {
      return;
    }
    BatchCounts counts = outcome_.counts;
    counts.running = in_flight_;
    counts.elapsed_seconds = seconds_since_start();
    // The label carries the counts. The host reads done and total as bytes, so the line gets
    // neither and shows the elapsed time instead.
    host_.progress(progress_label(counts), 0, 0);
  }

  double seconds_since_start() const {
    return std::chrono::duration<double>(Clock::now() - started_).count();
  }

  const std::string& source(size_t index) const { return settings_.sources.at(index); }

  void stop_workers() {
    stopping_ = true;
    jobs_.close();
    for (auto& worker : workers_) {
      if (worker.joinable()) {
        worker.join();
      }
    }
  }

  // ---- Worker threads ----

  void work() {
    while (auto job = jobs_.pop()) {
      Event event;
      try {
        event = job->kind == Job::Kind::kStart ? start(*job) : finish_transcript(*job);
      } catch (const aai::Error& error) {
        event.kind = Event::Kind::kFailed;
        event.index = job->index;
        event.error = error;
      } catch (const std::exception& error) {
        event.kind = Event::Kind::kFailed;
        event.index = job->index;
        event.error = aai::Error(AAI_EXIT_FAILURE, "internal_error", error.what());
      } catch (...) {
        event.kind = Event::Kind::kFailed;
        event.index = job->index;
        event.error =
            aai::Error(AAI_EXIT_FAILURE, "internal_error",
                       "Transcribing " + source(job->index) + " failed with an unknown exception.");
      }
      events_.push(std::move(event));
    }
  }

  Event start(const Job& job) {
    const std::string& path = source(job.index);
    const std::string sidecar = sidecar_path_for(path);
    Event event;
    event.index = job.index;
    event.sidecar = sidecar;

    const std::string audio_sha256 = sha256_of_file(path);
    const SidecarRead existing = read_sidecar(sidecar);
    if (existing.state == SidecarRead::State::kCorrupt) {
      events_.push(Event{Event::Kind::kNote,
                         job.index,
                         {},
                         {},
                         {},
                         {},
                         "The sidecar " + sidecar + " is invalid (" + existing.problem + "), so " +
                             path + " is transcribed again."});
    }
    const bool matches = (existing.state == SidecarRead::State::kCompleted ||
                          existing.state == SidecarRead::State::kSubmitted ||
                          existing.state == SidecarRead::State::kCreating) &&
                         sidecar_matches(existing.document, audio_sha256, options_sha256_);
    if (matches && existing.state == SidecarRead::State::kCompleted && !settings_.force) {
      event.kind = Event::Kind::kSkipped;
      event.transcript_id = member_text(existing.document, "transcript_id");
      return event;
    }
    if (matches && existing.state == SidecarRead::State::kSubmitted && !job.ignore_submitted) {
      event.kind = Event::Kind::kSubmitted;
      event.transcript_id = member_text(existing.document, "transcript_id");
      event.waiting = {job.index, audio_sha256, member_text(existing.document, "submitted_at"),
                       true};
      return event;
    }

    if (matches && existing.state == SidecarRead::State::kCreating) {
      // An earlier run stopped while creating the transcript. If the service has one for the
      // recorded upload, that transcript is polled instead of a second one being made.
      const std::string upload_url = member_text(existing.document, "upload_url");
      if (auto id = transcript_for_upload(upload_url)) {
        Waiting waiting{job.index, audio_sha256, member_text(existing.document, "submitted_at"),
                        true};
        write_sidecar(sidecar, sidecar_base("submitted", waiting, *id));
        event.kind = Event::Kind::kSubmitted;
        event.transcript_id = *id;
        event.waiting = waiting;
        return event;
      }
    }

    check_local_file(path);
    check_sidecar_folder(path);
    if (stopping_) {
      event.kind = Event::Kind::kDropped;
      return event;
    }
    const std::string upload_url = api_.upload_from_any_thread(path);
    if (stopping_) {
      event.kind = Event::Kind::kDropped;
      return event;
    }
    nlohmann::json params = settings_.params;
    params["audio_url"] = upload_url;
    // Recorded before the create request, so that a rerun after a kill at any later moment can
    // find the transcript by its upload instead of creating another.
    Waiting waiting{job.index, audio_sha256, utc_timestamp(), false};
    nlohmann::ordered_json creating = sidecar_base("creating", waiting, "");
    creating.erase("transcript_id");
    creating["upload_url"] = upload_url;
    write_sidecar(sidecar, creating);
    const nlohmann::json created = api_.create(params, TranscriptApi::kBatchRetries);
    const std::string id = member_text(created, "id");
    if (id.empty()) {
      throw aai::Error(AAI_EXIT_FAILURE, "api_error",
                       "The service created a transcript for " + path + " but sent no id.",
                       "Run the command again; report it if it keeps failing.");
    }

    nlohmann::ordered_json document = sidecar_base("submitted", waiting, id);
    event.transcript_id = id;
    write_sidecar(sidecar, document);
    event.kind = Event::Kind::kSubmitted;
    event.waiting = waiting;
    return event;
  }

  Event finish_transcript(const Job& job) {
    const std::string& path = source(job.index);
    const std::string sidecar = sidecar_path_for(path);
    const std::string id = member_text(job.transcript, "id");
    Event event;
    event.index = job.index;
    event.sidecar = sidecar;
    event.transcript_id = id;

    if (member_text(job.transcript, "status") == "error") {
      std::string reason = member_text(job.transcript, "error");
      if (reason.empty()) {
        reason = "no reason given";
      }
      nlohmann::ordered_json document = sidecar_base("error", job.waiting, id);
      document["completed_at"] = utc_timestamp();
      document["error"] = reason;
      write_sidecar(sidecar, document);
      event.kind = Event::Kind::kFailed;
      event.error =
          aai::Error(AAI_EXIT_FAILURE, "api_error", "Transcript " + id + " failed: " + reason);
      return event;
    }

    nlohmann::ordered_json document = sidecar_base("completed", job.waiting, id);
    document["completed_at"] = utc_timestamp();
    document["transcript"] = job.transcript;
    if (job.chain_result) {
      const ChainResult& result = *job.chain_result;
      nlohmann::ordered_json steps = nlohmann::ordered_json::array();
      for (const auto& step : result.steps) {
        steps.push_back({{"prompt", step.prompt}, {"output", step.output}});
      }
      document["llm"] = {{"model", result.model}, {"steps", std::move(steps)}};
    }
    write_sidecar(sidecar, document);
    event.kind = Event::Kind::kCompleted;
    return event;
  }

  // Returns the id of the transcript the service made from `upload_url`, or nullopt when it made
  // none. The first call reads the newest kLookupPages pages of the transcript list and keeps an
  // index of them for the other workers.
  std::optional<std::string> transcript_for_upload(const std::string& upload_url) {
    std::lock_guard lock(upload_index_mutex_);
    if (!upload_index_) {
      upload_index_.emplace();
      std::string before_id;
      for (int page = 0; page < kLookupPages; ++page) {
        const nlohmann::json listed = api_.list_page(kLookupPageSize, before_id);
        const nlohmann::json transcripts = listed.value("transcripts", nlohmann::json::array());
        for (const auto& transcript : transcripts) {
          upload_index_->emplace(member_text(transcript, "audio_url"),
                                 member_text(transcript, "id"));
        }
        if (transcripts.size() < static_cast<size_t>(kLookupPageSize)) {
          break;
        }
        before_id = member_text(transcripts.back(), "id");
      }
    }
    auto found = upload_index_->find(upload_url);
    if (found == upload_index_->end() || found->second.empty()) {
      return std::nullopt;
    }
    return found->second;
  }

  nlohmann::ordered_json sidecar_base(const char* state, const Waiting& waiting,
                                      const std::string& id) const {
    nlohmann::ordered_json document;
    document["version"] = kSidecarVersion;
    document["state"] = state;
    document["source"] = source(waiting.index);
    document["audio_sha256"] = waiting.audio_sha256;
    document["options_sha256"] = options_sha256_;
    document["options"] = options_record_;
    document["transcript_id"] = id;
    document["submitted_at"] = waiting.submitted_at;
    return document;
  }

  const aai::Host& host_;
  const BatchSettings& settings_;
  const CompleteFunction& complete_;
  TranscriptApi api_;
  PollSchedule schedule_;
  const nlohmann::json options_record_;
  const std::string options_sha256_;

  // NOTE: a transcript created more than kLookupPages * kLookupPageSize transcripts before the
  // rerun is not found, so its source is transcribed again. That takes a thousand other
  // transcripts made in between on the same account.
  static constexpr int kLookupPages = 5;
  static constexpr long long kLookupPageSize = 200;
  std::mutex upload_index_mutex_;
  std::optional<std::map<std::string, std::string>> upload_index_;

  std::vector<std::thread> workers_;
  Channel<Job> jobs_;
  Channel<Event> events_;
  std::atomic<bool> stopping_ = false;

  // Main thread only.
  Clock::time_point started_;
  size_t next_index_ = 0;
  size_t in_flight_ = 0;
  std::map<std::string, Waiting> waiting_;
  std::optional<aai::Error> fatal_;
  BatchOutcome outcome_;
};

}  // namespace

BatchOutcome run_batch(const aai::Host& host, const BatchSettings& settings,
                       const CompleteFunction& complete) {
  Batch batch(host, settings, complete);
  return batch.run();
}

}  // namespace transcribe
