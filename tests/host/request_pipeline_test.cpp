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
  const NetworkSettings& network_settings() override { return settings; }

  const Environment* environment = nullptr;
  NetworkSettings settings;
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
    // Most tests count sends exactly; the tests of default retries set their own count.
    context.settings.retries = 0;
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
  auto built = request("http://127.0.0.1:8765/v2/transcript");
  built.method = "POST";

  EXPECT_THROW(pipeline.send(built, SendOptions{.max_retries = 3}), CliError);
  EXPECT_EQ(last_transport->sent.size(), 1u);
}

TEST_F(RequestPipelineTest, RetriesTimeoutWhenRepeatable) {
  transport.errors = {TransportError(TransportError::Kind::kTimedOut, "no answer")};
  auto pipeline = make_pipeline();

  auto response = pipeline.send(request("http://127.0.0.1:8765/v2/transcript/abc"),
                                SendOptions{.max_retries = 1, .retry_dropped = true});

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(last_transport->sent.size(), 2u);
}

// Returns 200 for every request after a short pause and counts the requests in flight at once.
class ParallelTransport : public HttpTransport {
 public:
  TransportResponse send(const TransportRequest&) override {
    const int now = ++in_flight;
    int seen = max_in_flight.load();
    while (now > seen && !max_in_flight.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    --in_flight;
    return TransportResponse{200, "{}", {}};
  }

  std::atomic<int> in_flight = 0;
  std::atomic<int> max_in_flight = 0;
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

TEST_F(RequestPipelineTest, SendsFromManyThreadsHooksSerialised) {
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
  EXPECT_GT(parallel->max_in_flight.load(), 1);
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

// The tests below replace the backoff with no wait, so they count retries without sleeping.
class RetryClassTest : public RequestPipelineTest {
 protected:
  static void skip_backoff(RequestPipeline& pipeline) {
    pipeline.set_retry_delay([](unsigned, const std::optional<std::chrono::milliseconds>&) {
      return std::chrono::milliseconds(0);
    });
  }

  TransportRequest post(const std::string& url) {
    TransportRequest built = request(url);
    built.method = "POST";
    built.body = "{}";
    return built;
  }

  static TransportError failure(TransportError::Kind kind) {
    return TransportError(kind, "the network failed");
  }
};

TEST_F(RetryClassTest, IdempotentMethodsGetDefaultRetries) {
  context.settings.retries = 2;
  for (const char* method : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}) {
    transport.errors = {failure(TransportError::Kind::kConnectionFailed),
                        failure(TransportError::Kind::kConnectionDropped)};
    auto pipeline = make_pipeline();
    skip_backoff(pipeline);
    auto built = request("https://api.example.test/v2/transcript");
    built.method = method;

    auto response = pipeline.send(built);

    EXPECT_EQ(response.status, 200) << method;
    EXPECT_EQ(last_transport->sent.size(), 3u) << method;
  }
}

TEST_F(RetryClassTest, LogsEveryRetry) {
  context.settings.retries = 2;
  transport.errors = {failure(TransportError::Kind::kConnectionFailed),
                      failure(TransportError::Kind::kTimedOut)};
  auto pipeline = make_pipeline();
  skip_backoff(pipeline);

  pipeline.send(request("https://api.example.test/v2/transcript"));

  std::string text = log_stream.str();
  EXPECT_NE(text.find("the network failed. Retry 1 of 2 in 0.0 s."),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Retry 2 of 2 in 0.0 s."), std::string::npos) << text;
}

TEST_F(RetryClassTest, PostGetsNoDefaultRetries) {
  context.settings.retries = 4;
  transport.responses = {busy(503, "0"), {200, "done", {}}};
  transport.errors = {};
  auto pipeline = make_pipeline();
  skip_backoff(pipeline);

  auto response = pipeline.send(post("https://api.example.test/v2/transcript"));

  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(last_transport->sent.size(), 1u);
}

TEST_F(RetryClassTest, PatchGetsNoDefaultRetries) {
  context.settings.retries = 4;
  transport.errors = {failure(TransportError::Kind::kConnectionFailed)};
  auto pipeline = make_pipeline();
  skip_backoff(pipeline);
  auto built = post("https://api.example.test/v2/transcript");
  built.method = "PATCH";

  EXPECT_THROW(pipeline.send(built), CliError);
  EXPECT_EQ(last_transport->sent.size(), 1u);
}

TEST_F(RetryClassTest, PostRetriesFailedConnectionWhenAsked) {
  transport.errors = {failure(TransportError::Kind::kConnectionFailed),
                      failure(TransportError::Kind::kConnectTimedOut)};
  auto pipeline = make_pipeline();
  skip_backoff(pipeline);

  auto response =
      pipeline.send(post("https://api.example.test/v2/transcript"), SendOptions{.max_retries = 2});

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(last_transport->sent.size(), 3u);
}

TEST_F(RetryClassTest, PostDoesNotRetryDroppedConnection) {
  for (auto kind : {TransportError::Kind::kConnectionDropped, TransportError::Kind::kTimedOut}) {
    transport.errors = {failure(kind)};
    auto pipeline = make_pipeline();
    skip_backoff(pipeline);

    EXPECT_THROW(pipeline.send(post("https://api.example.test/v2/transcript"),
                               SendOptions{.max_retries = 3}),
                 CliError);
    EXPECT_EQ(last_transport->sent.size(), 1u);
  }
}

TEST_F(RetryClassTest, PostRetriesDroppedConnectionWithFlag) {
  transport.errors = {failure(TransportError::Kind::kConnectionDropped),
                      failure(TransportError::Kind::kTimedOut)};
  auto pipeline = make_pipeline();
  skip_backoff(pipeline);

  auto response = pipeline.send(post("https://api.example.test/v2/transcript"),
                                SendOptions{.max_retries = 2, .retry_dropped = true});

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(last_transport->sent.size(), 3u);
}

TEST_F(RetryClassTest, NeverRetriesOtherFailures) {
  context.settings.retries = 3;
  for (auto kind : {TransportError::Kind::kInvalidUrl, TransportError::Kind::kFileUnreadable,
                    TransportError::Kind::kOther}) {
    transport.errors = {failure(kind)};
    auto pipeline = make_pipeline();
    skip_backoff(pipeline);

    EXPECT_THROW(pipeline.send(request("https://api.example.test/v2/transcript")), CliError);
    EXPECT_EQ(last_transport->sent.size(), 1u);
  }
}

TEST_F(RetryClassTest, DefaultRetriesSkipRefusedLoopback) {
  context.settings.retries = 4;
  transport.errors = {failure(TransportError::Kind::kConnectionFailed)};
  auto pipeline = make_pipeline();
  skip_backoff(pipeline);

  EXPECT_THROW(pipeline.send(request("http://127.0.0.1:8765/v2/transcript")), CliError);
  EXPECT_EQ(last_transport->sent.size(), 1u);
}

TEST_F(RetryClassTest, AppliesNetworkSettingsToRequest) {
  context.settings.connect_timeout = std::chrono::seconds(3);
  context.settings.read_timeout = std::chrono::seconds(7);
  context.settings.https_proxy = parse_proxy_url("http://user:pw@proxy.corp:3128");
  context.settings.ca_file = "/etc/company-ca.pem";
  auto pipeline = make_pipeline();
  skip_backoff(pipeline);
  auto with_timeout = request("https://api.example.test/v2/a");
  with_timeout.timeout = std::chrono::milliseconds(1500);

  pipeline.send(request("https://api.example.test/v2/a"));
  pipeline.send(with_timeout);
  pipeline.send(request("http://api.example.test/v2/a"));

  const auto& sent = last_transport->sent;
  EXPECT_EQ(sent[0].connect_timeout, std::chrono::seconds(3));
  EXPECT_EQ(sent[0].timeout, std::chrono::seconds(7));
  ASSERT_TRUE(sent[0].proxy);
  EXPECT_EQ(sent[0].proxy->url(), "http://proxy.corp:3128");
  EXPECT_EQ(sent[0].ca_file, "/etc/company-ca.pem");
  EXPECT_EQ(sent[1].timeout, std::chrono::milliseconds(1500));
  EXPECT_FALSE(sent[2].proxy);
  std::string text = log_stream.str();
  EXPECT_NE(text.find("> (through the proxy http://proxy.corp:3128)\n"), std::string::npos);
  EXPECT_NE(text.find("> Proxy-Authorization: [redacted]\n"), std::string::npos);
  EXPECT_EQ(text.find("pw"), std::string::npos) << text;
}

TEST_F(RetryClassTest, NamesTimeoutAndHowToRaiseIt) {
  CliError read = map_transport_error(
      TransportError(TransportError::Kind::kTimedOut,
                     "The request to https://api.example.test/v2 timed out: no data was sent or "
                     "received for 60 s."),
      "https://api.example.test/v2");
  CliError connect = map_transport_error(
      TransportError(TransportError::Kind::kConnectTimedOut, "no connection within 10 s"),
      "https://api.example.test/v2");

  EXPECT_STREQ(read.what(),
               "The request to https://api.example.test/v2 timed out: no data was sent or "
               "received for 60 s.");
  EXPECT_EQ(read.suggestion(),
            "Raise the read timeout with AAI_READ_TIMEOUT=SECONDS or `aai config set "
            "network.read_timeout SECONDS`, or try again later.");
  EXPECT_STREQ(connect.what(),
               "Could not connect to https://api.example.test/v2: no connection within 10 s.");
  EXPECT_EQ(connect.suggestion(),
            "Raise the connect timeout with AAI_CONNECT_TIMEOUT=SECONDS or `aai config set "
            "network.connect_timeout SECONDS`, or check your network connection.");
}

TEST_F(RetryClassTest, NamesDroppedConnectionAndProxy) {
  CliError dropped = map_transport_error(
      TransportError(TransportError::Kind::kConnectionDropped, "Connection reset by peer"),
      "https://api.example.test/v2");
  CliError through_proxy = map_transport_error(
      TransportError(TransportError::Kind::kConnectionFailed, "Connection refused"),
      "http://127.0.0.1:8765/v2", parse_proxy_url("http://proxy.corp:3128"));

  EXPECT_STREQ(dropped.what(),
               "The connection to https://api.example.test/v2 dropped: Connection reset by peer.");
  EXPECT_EQ(dropped.suggestion(), "Try again; the network or the service closed the connection.");
  EXPECT_EQ(through_proxy.suggestion(),
            "Check that the proxy http://proxy.corp:3128 is reachable, or list the host in "
            "NO_PROXY to connect directly.");
}

TEST_F(RetryClassTest, TlsFailureSuggestsCaFile) {
  context.settings.retries = 4;
  transport.errors = {TransportError(TransportError::Kind::kTlsFailed,
                                     "The TLS handshake with https://api.example.test/v2 failed: "
                                     "Error in SSL handshake (certificate verify failed).")};
  auto pipeline = make_pipeline();

  CliError error(0, "none", "(no error)");
  try {
    pipeline.send(request("https://api.example.test/v2"));
  } catch (const CliError& thrown) {
    error = thrown;
  }

  EXPECT_EQ(last_transport->sent.size(), 1u);
  EXPECT_EQ(error.type(), "api_error");
  EXPECT_STREQ(error.what(),
               "The TLS handshake with https://api.example.test/v2 failed: Error in SSL handshake "
               "(certificate verify failed).");
  EXPECT_EQ(error.suggestion(),
            "If a company proxy or CA signs the server's certificate, point SSL_CERT_FILE at that "
            "CA's PEM file; see docs/network.md.");
}

TransportResponse redirect(int status, const std::string& location) {
  return {status, "moved", {{"location", location}}};
}

const std::string* header_value(const TransportRequest& request, const std::string& name) {
  for (const auto& [header, value] : request.headers) {
    if (header == name) {
      return &value;
    }
  }
  return nullptr;
}

TEST_F(RequestPipelineTest, FollowsSameOriginRedirectWithHeaders) {
  context.provider = &provider;
  transport.responses = {redirect(302, "/v2/moved?x=1"), {200, "here", {}}};
  auto pipeline = make_pipeline();

  auto response = pipeline.send(request("http://127.0.0.1:8765/v2/transcript"));

  EXPECT_EQ(response.body, "here");
  ASSERT_EQ(last_transport->sent.size(), 2u);
  EXPECT_EQ(last_transport->sent[1].url, "http://127.0.0.1:8765/v2/moved?x=1");
  ASSERT_NE(header_value(last_transport->sent[1], "Authorization"), nullptr);
  EXPECT_EQ(hook_calls, (std::vector<std::string>{"provider"}));
  EXPECT_NE(log_stream.str().find("GET http://127.0.0.1:8765/v2/transcript got HTTP 302; "
                                  "following the redirect to http://127.0.0.1:8765/v2/moved?x=1."),
            std::string::npos);
}

TEST_F(RequestPipelineTest, NeverSendsCredentialToForeignHost) {
  context.provider = &provider;
  for (int status : {301, 302, 303, 307, 308}) {
    transport.responses = {redirect(status, "https://files.example.test/audio"), {200, "", {}}};
    auto pipeline = make_pipeline();
    auto built = request("http://127.0.0.1:8765/v2/upload");
    built.headers = {{"X-Plugin", "kept"}, {"authorization", "plugin-set-secret"}};

    pipeline.send(built);

    ASSERT_EQ(last_transport->sent.size(), 2u);
    const TransportRequest& second = last_transport->sent[1];
    EXPECT_EQ(second.url, "https://files.example.test/audio");
    EXPECT_EQ(header_value(second, "Authorization"), nullptr) << status;
    EXPECT_EQ(header_value(second, "authorization"), nullptr) << status;
    ASSERT_NE(header_value(second, "X-Plugin"), nullptr);
    EXPECT_FALSE(credential_accepted) << status;
  }
}

TEST_F(RequestPipelineTest, RedirectToEnvironmentHostGetsCredential) {
  context.provider = &provider;
  transport.responses = {redirect(307, "http://127.0.0.1:8765/v2/transcript"), {200, "", {}}};
  auto pipeline = make_pipeline();

  pipeline.send(request("https://elsewhere.example.test/start"));

  ASSERT_EQ(last_transport->sent.size(), 2u);
  EXPECT_EQ(header_value(last_transport->sent[0], "Authorization"), nullptr);
  EXPECT_NE(header_value(last_transport->sent[1], "Authorization"), nullptr);
  EXPECT_EQ(hook_calls, (std::vector<std::string>{"provider", "provider"}));
}

TEST_F(RequestPipelineTest, SeeOtherBecomesGetWithoutBody) {
  transport.responses = {redirect(303, "/v2/result"), {200, "", {}}};
  auto pipeline = make_pipeline();
  auto built = request("http://127.0.0.1:8765/v2/jobs");
  built.method = "POST";
  built.body = "{\"a\":1}";
  built.headers = {{"Content-Type", "application/json"}};

  pipeline.send(built);

  ASSERT_EQ(last_transport->sent.size(), 2u);
  EXPECT_EQ(last_transport->sent[1].method, "GET");
  EXPECT_EQ(last_transport->sent[1].body, "");
  EXPECT_EQ(header_value(last_transport->sent[1], "Content-Type"), nullptr);
}

TEST_F(RequestPipelineTest, TemporaryRedirectKeepsMethodAndBody) {
  transport.responses = {redirect(307, "/v2/other"), {200, "", {}}};
  auto pipeline = make_pipeline();
  auto built = request("http://127.0.0.1:8765/v2/jobs");
  built.method = "POST";
  built.body = "{\"a\":1}";

  pipeline.send(built);

  ASSERT_EQ(last_transport->sent.size(), 2u);
  EXPECT_EQ(last_transport->sent[1].method, "POST");
  EXPECT_EQ(last_transport->sent[1].body, "{\"a\":1}");
}

TEST_F(RequestPipelineTest, StopsAfterFiveRedirects) {
  transport.response = redirect(302, "/again");
  auto pipeline = make_pipeline();

  CliError error(0, "none", "(no error)");
  try {
    pipeline.send(request("http://127.0.0.1:8765/v2/loop"));
  } catch (const CliError& thrown) {
    error = thrown;
  }

  EXPECT_EQ(error.exit_code(), 1);
  EXPECT_EQ(error.type(), "api_error");
  EXPECT_STREQ(error.what(),
               "The request to http://127.0.0.1:8765/again was redirected more than 5 times.");
  EXPECT_EQ(last_transport->sent.size(), 6u);
}

TEST_F(RequestPipelineTest, RejectsRedirectToOtherScheme) {
  transport.response = redirect(301, "ftp://files.example.test/a");

  CliError error = send_error("http://127.0.0.1:8765/v2/a");

  EXPECT_STREQ(error.what(),
               "The request to http://127.0.0.1:8765/v2/a was redirected to "
               "'ftp://files.example.test/a', which is not an http or https URL.");
  EXPECT_EQ(error.suggestion(), "Check the environment's endpoints with `aai env list`.");
}

TEST_F(RequestPipelineTest, ReturnsRedirectWithoutLocation) {
  transport.response = {302, "no location", {}};
  auto pipeline = make_pipeline();

  auto response = pipeline.send(request("http://127.0.0.1:8765/v2/a"));

  EXPECT_EQ(response.status, 302);
  EXPECT_EQ(last_transport->sent.size(), 1u);
}

TEST_F(RequestPipelineTest, KeepsRedirectBodyOutOfTheStream) {
  transport.responses = {redirect(302, "/v2/b"), {200, "data", {}}};
  auto pipeline = make_pipeline();
  std::string streamed;
  auto built = request("http://127.0.0.1:8765/v2/a");
  built.on_body = [&streamed](const char* data, size_t size) {
    streamed.append(data, size);
    return true;
  };

  pipeline.send(built);

  EXPECT_EQ(streamed, "data");
}

TEST(RedirectLocationTest, ResolvesAgainstRequestUrl) {
  const std::string base = "https://api.example.test/v2/jobs/1?x=2";

  EXPECT_EQ(resolve_redirect_location(base, "https://other.test/a"), "https://other.test/a");
  EXPECT_EQ(resolve_redirect_location(base, "//cdn.test/f"), "https://cdn.test/f");
  EXPECT_EQ(resolve_redirect_location(base, "/v3/x"), "https://api.example.test/v3/x");
  EXPECT_EQ(resolve_redirect_location(base, "2"), "https://api.example.test/v2/jobs/2");
  EXPECT_EQ(resolve_redirect_location(base, "?y=1"), "https://api.example.test/v2/jobs/1?y=1");
  EXPECT_EQ(resolve_redirect_location("http://h.test", "a"), "http://h.test/a");
}

}  // namespace
}  // namespace aai::host
