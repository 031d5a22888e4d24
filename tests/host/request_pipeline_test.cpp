#include "request_pipeline.hpp"

#include "signals.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <deque>
#include <sstream>
#include <thread>

namespace aai::host {
namespace {

class FakeTransport : public HttpTransport {
 public:
  TransportResponse send(const TransportRequest& request) override {
    sent.push_back(request);
    if (!errors.empty()) {
      TransportError next = errors.front();
      errors.pop_front();
      throw next;
    }
    if (error) {
      throw *error;
    }
    TransportResponse answer = response;
    if (!responses.empty()) {
      answer = responses.front();
      responses.pop_front();
    }
    if (request.on_body && (!request.streams_body || request.streams_body(answer.status))) {
      request.on_body(answer.body.data(), answer.body.size());
      answer.body.clear();
    }
    return answer;
  }

  std::vector<TransportRequest> sent;
  std::deque<TransportResponse> responses;
  std::deque<TransportError> errors;
  TransportResponse response{200, "{}", {{"content-type", "application/json"}}};
  std::optional<TransportError> error;
};

class FakeContext : public RequestContext {
 public:
  const Environment* active_environment() override { return environment; }
  const Provider* credential_provider() override { return provider; }
  bool is_interrupted() override { return interrupted; }

  const Environment* environment = nullptr;
  const Provider* provider = nullptr;
  std::atomic<bool> interrupted = false;
};

std::vector<std::string> hook_calls;

aai_status_t first_hook(void*, const aai_host_t*, const aai_request_editor_t* editor) {
  hook_calls.push_back("first");
  editor->set_header(editor, "X-Trace", "one");
  return AAI_STATUS_OK;
}

aai_status_t second_hook(void*, const aai_host_t*, const aai_request_editor_t* editor) {
  hook_calls.push_back("second");
  editor->set_header(editor, "x-trace", "two");
  return AAI_STATUS_OK;
}

aai_status_t failing_hook(void*, const aai_host_t*, const aai_request_editor_t* editor) {
  editor->fail(editor, 4, "not_authenticated", "No API key is configured.",
               "Run `aai login`, or set ASSEMBLYAI_API_KEY to your API key.");
  return AAI_STATUS_ERROR;
}

aai_status_t silent_failing_hook(void*, const aai_host_t*, const aai_request_editor_t*) {
  return AAI_STATUS_ERROR;
}

// Records whether the host accepted the credential, the way the auth plugin attaches a key.
aai_status_t credential_provider(void* context, const aai_host_t*,
                                 const aai_request_editor_t* editor) {
  hook_calls.push_back("provider");
  auto* accepted = static_cast<bool*>(context);
  *accepted =
      editor->set_credential_header(editor, "Authorization", "secret-key-1234") == AAI_STATUS_OK;
  return AAI_STATUS_OK;
}

// Records the field the host matched for each request.
aai_status_t field_recorder(void* context, const aai_host_t*, const aai_request_editor_t* editor) {
  auto* fields = static_cast<std::vector<std::string>*>(context);
  EXPECT_GT(editor->struct_size, offsetof(aai_request_editor_t, environment_field));
  fields->push_back(editor->environment_field != nullptr ? editor->environment_field : "(none)");
  return AAI_STATUS_OK;
}

class RequestPipelineTest : public ::testing::Test {
 protected:
  RequestPipelineTest() {
    hook_calls.clear();
    environment.name = "local";
    environment.fields = {{"api_base", "http://127.0.0.1:8765"},
                          {"streaming_base", "ws://127.0.0.1:8765"},
                          {"signup_url", "http://127.0.0.1:9999/signup"}};
    context.environment = &environment;
    provider.role = AAI_PROVIDER_CREDENTIALS;
    provider.name = "auth-stytch";
    provider.plugin_name = "auth-stytch";
    provider.context = &credential_accepted;
    provider.pre_request = &credential_provider;
  }

  RequestPipeline make_pipeline() {
    return RequestPipeline(context, hooks, log, [this] {
      ++transports_made;
      auto fake = std::make_unique<FakeTransport>();
      *fake = transport;
      last_transport = fake.get();
      return std::unique_ptr<HttpTransport>(std::move(fake));
    });
  }

  TransportRequest request(const std::string& url) {
    TransportRequest built;
    built.method = "GET";
    built.url = url;
    return built;
  }

  CliError send_error(const std::string& url) {
    auto pipeline = make_pipeline();
    try {
      pipeline.send(request(url));
    } catch (const CliError& error) {
      return error;
    }
    return CliError(0, "none", "(no error)");
  }

  Environment environment;
  Provider provider;
  bool credential_accepted = false;
  FakeContext context;
  std::vector<RequestHook> hooks;
  std::ostringstream log_stream;
  LogSink log{log_stream, 2, false};
  FakeTransport transport;
  FakeTransport* last_transport = nullptr;
  int transports_made = 0;
};

TEST_F(RequestPipelineTest, RunsHooksInOrderThenProvider) {
  hooks = {{nullptr, "a", nullptr, &first_hook}, {nullptr, "b", nullptr, &second_hook}};
  context.provider = &provider;
  auto pipeline = make_pipeline();

  pipeline.send(request("http://127.0.0.1:8765/v2/transcript"));

  EXPECT_EQ(hook_calls, (std::vector<std::string>{"first", "second", "provider"}));
  ASSERT_EQ(last_transport->sent.size(), 1u);
  HeaderList expected = {{"x-trace", "two"}, {"Authorization", "secret-key-1234"}};
  EXPECT_EQ(last_transport->sent[0].headers, expected);
}

TEST_F(RequestPipelineTest, PassesMatchedEnvironmentField) {
  std::vector<std::string> fields;
  hooks = {{nullptr, "recorder", &fields, &field_recorder}};
  environment.fields.emplace_back("llm_gateway_base", "http://127.0.0.1:8765/v1");
  auto pipeline = make_pipeline();

  pipeline.send(request("http://127.0.0.1:8765/v2/transcript"));
  pipeline.send(request("http://127.0.0.1:8765/v1/chat/completions"));
  pipeline.send(request("http://127.0.0.1:9999/signup"));
  pipeline.send(request("http://127.0.0.1:7777/other"));

  EXPECT_EQ(fields,
            (std::vector<std::string>{"api_base", "llm_gateway_base", "signup_url", "(none)"}));
}

TEST_F(RequestPipelineTest, CreatesTransportOnceOnFirstSend) {
  auto pipeline = make_pipeline();
  EXPECT_EQ(transports_made, 0);

  pipeline.send(request("http://127.0.0.1:8765/a"));
  pipeline.send(request("http://127.0.0.1:8765/b"));

  EXPECT_EQ(transports_made, 1);
  EXPECT_EQ(last_transport->sent.size(), 2u);
}

TEST_F(RequestPipelineTest, SendsCredentialOnlyToEnvironmentOrigins) {
  context.provider = &provider;
  auto pipeline = make_pipeline();

  pipeline.send(request("http://127.0.0.1:9999/signup"));
  bool accepted_elsewhere = credential_accepted;
  pipeline.send(request("http://127.0.0.1:8765/v2/upload"));
  bool accepted_at_api = credential_accepted;

  EXPECT_FALSE(accepted_elsewhere);
  EXPECT_TRUE(last_transport->sent[0].headers.empty());
  EXPECT_TRUE(accepted_at_api);
  EXPECT_EQ(last_transport->sent[1].headers.size(), 1u);
}

TEST_F(RequestPipelineTest, TreatsDefaultPortAsSameOrigin) {
  environment.fields = {{"api_base", "https://api.assemblyai.com"}};
  context.provider = &provider;
  auto pipeline = make_pipeline();

  pipeline.send(request("https://API.assemblyai.com:443/v2/transcript"));
  bool accepted_same = credential_accepted;
  pipeline.send(request("http://api.assemblyai.com/v2/transcript"));

  EXPECT_TRUE(accepted_same);
  EXPECT_FALSE(credential_accepted);
}

TEST_F(RequestPipelineTest, MapsUnauthorizedWithCredentialToExitFour) {
  context.provider = &provider;
  transport.response.status = 401;

  CliError error = send_error("http://127.0.0.1:8765/v2/transcript");

  EXPECT_EQ(error.exit_code(), 4);
  EXPECT_EQ(error.type(), "not_authenticated");
  EXPECT_STREQ(error.what(), "Your API key was rejected.");
  EXPECT_EQ(error.suggestion(), "Check the key, or run `aai login` to get a new one.");
}

TEST_F(RequestPipelineTest, ReturnsUnauthorizedWithoutCredential) {
  transport.response.status = 401;
  auto pipeline = make_pipeline();

  auto response = pipeline.send(request("http://127.0.0.1:8765/v2/transcript"));

  EXPECT_EQ(response.status, 401);
}

TEST_F(RequestPipelineTest, MasksSecretsInDebugLog) {
  context.provider = &provider;
  auto pipeline = make_pipeline();

  pipeline.send(request("http://127.0.0.1:8765/v2/transcript"));
  log.write("auth-stytch", AAI_LOG_DEBUG, "using key secret-key-1234");

  std::string text = log_stream.str();
  EXPECT_EQ(text.find("secret-key-1234"), std::string::npos) << text;
  EXPECT_NE(text.find("[aai] > GET http://127.0.0.1:8765/v2/transcript\n"), std::string::npos);
  EXPECT_NE(text.find("[aai] > Authorization: [redacted]\n"), std::string::npos);
  EXPECT_NE(text.find("[auth-stytch] using key [redacted]\n"), std::string::npos);
}

TEST_F(RequestPipelineTest, StopsAtFailingHookWithItsError) {
  hooks = {{nullptr, "auth", nullptr, &failing_hook}, {nullptr, "b", nullptr, &second_hook}};

  CliError error = send_error("http://127.0.0.1:8765/v2/transcript");

  EXPECT_EQ(error.exit_code(), 4);
  EXPECT_EQ(error.type(), "not_authenticated");
  EXPECT_STREQ(error.what(), "No API key is configured.");
  EXPECT_TRUE(hook_calls.empty());
  EXPECT_EQ(transports_made, 0);
}

TEST_F(RequestPipelineTest, NamesPluginWhoseHookFailedSilently) {
  hooks = {{nullptr, "quiet-plugin", nullptr, &silent_failing_hook}};

  CliError error = send_error("http://127.0.0.1:8765/x");

  EXPECT_EQ(error.exit_code(), 1);
  EXPECT_STREQ(error.what(),
               "The plugin 'quiet-plugin' stopped the request to http://127.0.0.1:8765/x without "
               "saying why.");
}

TEST_F(RequestPipelineTest, RejectsInvalidUrl) {
  CliError error = send_error("ftp://example.invalid/x");

  EXPECT_EQ(error.exit_code(), 1);
  EXPECT_EQ(error.type(), "invalid_url");
  EXPECT_STREQ(error.what(),
               "Invalid request URL 'ftp://example.invalid/x': expected an absolute http or https "
               "URL.");
}

TEST_F(RequestPipelineTest, MapsRefusedLoopbackConnection) {
  transport.error = TransportError(TransportError::Kind::kConnectionFailed, "Connection refused");

  CliError error = send_error("http://127.0.0.1:8765/v2/transcript");

  EXPECT_EQ(error.exit_code(), 1);
  EXPECT_EQ(error.type(), "api_error");
  EXPECT_STREQ(error.what(),
               "Could not connect to http://127.0.0.1:8765/v2/transcript: Connection refused.");
  EXPECT_EQ(error.suggestion(), "Check that the local emulator is running on 127.0.0.1:8765.");
}

TEST_F(RequestPipelineTest, MapsRemoteConnectionFailureAndTimeout) {
  CliError refused = map_transport_error(
      TransportError(TransportError::Kind::kConnectionFailed, "Host not found."),
      "https://api.assemblyai.com/v2/transcript");
  CliError timed_out = map_transport_error(
      TransportError(TransportError::Kind::kTimedOut, "no response after 300 s"),
      "https://api.assemblyai.com/v2/transcript");

  EXPECT_STREQ(refused.what(),
               "Could not connect to https://api.assemblyai.com/v2/transcript: Host not found.");
  EXPECT_EQ(refused.suggestion(), "Check your network connection and try again.");
  EXPECT_STREQ(timed_out.what(),
               "The request to https://api.assemblyai.com/v2/transcript timed out: no response "
               "after 300 s.");
}

TEST_F(RequestPipelineTest, ReportsCancellationAsInterrupted) {
  transport.error = TransportError(TransportError::Kind::kCancelled, "cancelled");

  CliError error = send_error("http://127.0.0.1:8765/v2/transcript");

  EXPECT_EQ(error.exit_code(), 130);
  EXPECT_EQ(error.type(), "interrupted");
}

TEST_F(RequestPipelineTest, DoesNotSendOnceInterrupted) {
  context.interrupted = true;

  CliError error = send_error("http://127.0.0.1:8765/v2/transcript");

  EXPECT_EQ(error.exit_code(), 130);
  EXPECT_EQ(transports_made, 0);
}

TEST_F(RequestPipelineTest, ReportsTransportThatCannotLoad) {
  RequestPipeline pipeline(context, hooks, log, []() -> std::unique_ptr<HttpTransport> {
    throw std::runtime_error("cannot open /x/lib/aai/libaai-net.so");
  });

  try {
    pipeline.send(request("http://127.0.0.1:8765/x"));
    FAIL() << "expected an error";
  } catch (const CliError& error) {
    EXPECT_EQ(error.exit_code(), 1);
    EXPECT_STREQ(error.what(),
                 "Could not load the network library: cannot open /x/lib/aai/libaai-net.so");
  }
}

TEST_F(RequestPipelineTest, NamesUrlOnceWhenReasonHasIt) {
  CliError error = map_transport_error(
      TransportError(TransportError::Kind::kConnectionFailed,
                     "Failed to connect to http://127.0.0.1:1/x: the connection was refused"),
      "http://127.0.0.1:1/x");

  EXPECT_STREQ(error.what(),
               "Failed to connect to http://127.0.0.1:1/x: the connection was refused.");
}

}  // namespace
}  // namespace aai::host

namespace aai::host {
namespace {

TransportResponse busy(int status, const std::string& retry_after) {
  TransportResponse answer{status, "{\"error\":\"busy\"}", {}};
  if (!retry_after.empty()) {
    answer.headers.emplace_back("retry-after", retry_after);
  }
  return answer;
}

TEST_F(RequestPipelineTest, RetriesBusyAnswersUpToTheLimit) {
  transport.responses = {busy(429, "0"), busy(503, "0"), {200, "done", {}}};
  auto pipeline = make_pipeline();

  auto response = pipeline.send(request("http://127.0.0.1:8765/v1/chat/completions"),
                                SendOptions{.max_retries = 3});

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "done");
  EXPECT_EQ(last_transport->sent.size(), 3u);
  EXPECT_NE(log_stream.str().find("GET http://127.0.0.1:8765/v1/chat/completions got HTTP 429; "
                                  "retry 1 of 3 in 0.0 s."),
            std::string::npos);
}

TEST_F(RequestPipelineTest, ReturnsTheLastBusyAnswerWhenRetriesRunOut) {
  transport.responses = {busy(429, "0"), busy(429, "0"), busy(429, "0")};
  auto pipeline = make_pipeline();

  auto response =
      pipeline.send(request("http://127.0.0.1:8765/v2/transcript"), SendOptions{.max_retries = 2});

  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(last_transport->sent.size(), 3u);
}

TEST_F(RequestPipelineTest, SendsOnceWithoutRetries) {
  transport.responses = {busy(503, "0"), {200, "done", {}}};
  auto pipeline = make_pipeline();

  auto response = pipeline.send(request("http://127.0.0.1:8765/v2/transcript"));

  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(last_transport->sent.size(), 1u);
}

TEST_F(RequestPipelineTest, RetriesRefusedConnection) {
  transport.errors = {TransportError(TransportError::Kind::kConnectionFailed, "refused")};
  auto pipeline = make_pipeline();

  auto response =
      pipeline.send(request("http://127.0.0.1:8765/v2/transcript"), SendOptions{.max_retries = 1});

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(last_transport->sent.size(), 2u);
}

TEST_F(RequestPipelineTest, DoesNotRetryTimeout) {
  transport.errors = {TransportError(TransportError::Kind::kTimedOut, "no answer")};
  auto pipeline = make_pipeline();

  EXPECT_THROW(
      pipeline.send(request("http://127.0.0.1:8765/v2/transcript"), SendOptions{.max_retries = 3}),
      CliError);
  EXPECT_EQ(last_transport->sent.size(), 1u);
}

TEST_F(RequestPipelineTest, RetriesTimeoutWhenTheRequestIsSafeToRepeat) {
  transport.errors = {TransportError(TransportError::Kind::kTimedOut, "no answer")};
  auto pipeline = make_pipeline();

  auto response = pipeline.send(request("http://127.0.0.1:8765/v2/transcript/abc"),
                                SendOptions{.max_retries = 1, .retry_dropped = true});

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(last_transport->sent.size(), 2u);
}

// Answers every request after a short pause and counts how many are in flight at once.
class ParallelTransport : public HttpTransport {
 public:
  TransportResponse send(const TransportRequest&) override {
    const int now = ++in_flight;
    int seen = most_in_flight.load();
    while (now > seen && !most_in_flight.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    --in_flight;
    return TransportResponse{200, "{}", {}};
  }

  std::atomic<int> in_flight = 0;
  std::atomic<int> most_in_flight = 0;
};

std::atomic<int> hooks_running = 0;
std::atomic<int> hook_overlaps = 0;

aai_status_t slow_hook(void*, const aai_host_t*, const aai_request_editor_t* editor) {
  if (++hooks_running > 1) {
    ++hook_overlaps;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  editor->set_header(editor, "X-Trace", "one");
  --hooks_running;
  return AAI_STATUS_OK;
}

TEST_F(RequestPipelineTest, SendsFromManyThreadsWithHooksOneAtATime) {
  hooks.push_back(RequestHook{nullptr, "tracer", nullptr, &slow_hook});
  context.provider = &provider;
  ParallelTransport* parallel = nullptr;
  RequestPipeline pipeline(context, hooks, log, [&parallel] {
    auto made = std::make_unique<ParallelTransport>();
    parallel = made.get();
    return std::unique_ptr<HttpTransport>(std::move(made));
  });
  std::atomic<int> answered = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 5; ++j) {
        if (pipeline.send(request("http://127.0.0.1:8765/v2/transcript")).status == 200) {
          ++answered;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }

  EXPECT_EQ(answered.load(), 40);
  EXPECT_EQ(hook_overlaps.load(), 0);
  ASSERT_NE(parallel, nullptr);
  EXPECT_GT(parallel->most_in_flight.load(), 1);
  EXPECT_TRUE(credential_accepted);
}

TEST_F(RequestPipelineTest, InterruptEndsTheWaitBeforeARetry) {
  transport.responses = {busy(429, "30")};
  context.interrupted = false;
  auto pipeline = make_pipeline();
  auto built = request("http://127.0.0.1:8765/v2/transcript");
  // The first send goes out; the flag is raised while the pipeline waits 30 s to retry.
  std::thread interrupter([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    context.interrupted = true;
  });

  auto started = std::chrono::steady_clock::now();
  try {
    pipeline.send(built, SendOptions{.max_retries = 1});
    ADD_FAILURE() << "expected an interruption";
  } catch (const CliError& error) {
    EXPECT_EQ(error.exit_code(), 130);
  }
  interrupter.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST_F(RequestPipelineTest, KeepsUnauthorizedWhenAsked) {
  context.provider = &provider;
  transport.response.status = 401;
  auto pipeline = make_pipeline();

  auto response = pipeline.send(request("http://127.0.0.1:8765/v2/transcript"),
                                SendOptions{.keep_unauthorized = true});

  EXPECT_EQ(response.status, 401);
}

TEST_F(RequestPipelineTest, StreamsOnlySuccessfulBodiesWhenAsked) {
  transport.responses = {{403, "{\"error\":\"no\"}", {}}};
  auto pipeline = make_pipeline();
  std::string streamed;
  auto built = request("http://127.0.0.1:8765/v2/transcript");
  built.on_body = [&streamed](const char* data, size_t size) {
    streamed.append(data, size);
    return true;
  };

  auto response = pipeline.send(built, SendOptions{.stream_success_only = true});

  EXPECT_EQ(streamed, "");
  EXPECT_EQ(response.body, "{\"error\":\"no\"}");
}

TEST_F(RequestPipelineTest, KeepsRetriedBodiesOutOfTheStream) {
  transport.responses = {busy(503, "0"), {200, "data: x", {}}};
  auto pipeline = make_pipeline();
  std::string streamed;
  auto built = request("http://127.0.0.1:8765/v2/transcript");
  built.on_body = [&streamed](const char* data, size_t size) {
    streamed.append(data, size);
    return true;
  };

  pipeline.send(built, SendOptions{.max_retries = 1});

  EXPECT_EQ(streamed, "data: x");
}

}  // namespace
}  // namespace aai::host
