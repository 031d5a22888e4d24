#include "cepstral_mean.hpp"

#include <sphinxbase/cmn.h>
#include <sphinxbase/fe.h>
#include <sphinxbase/feat.h>

#include <vector>

namespace aai::local {
namespace {

constexpr int32_t kChunkFrames = 64;

struct CepstraSum {
  std::vector<double> totals;
  size_t frames = 0;

  void add(const mfcc_t* frame) {
    for (size_t i = 0; i < totals.size(); ++i) {
      totals[i] += frame[i];
    }
    ++frames;
  }
};

}  // namespace

void set_cepstral_mean_from(ps_decoder_t* decoder, const int16_t* samples, size_t count) {
  fe_t* front_end = ps_get_fe(decoder);
  const auto width = static_cast<size_t>(fe_get_output_size(front_end));
  std::vector<mfcc_t> storage(static_cast<size_t>(kChunkFrames) * width);
  std::vector<mfcc_t*> rows(kChunkFrames);
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i] = storage.data() + i * width;
  }
  CepstraSum sum{std::vector<double>(width, 0.0)};

  fe_start_utt(front_end);
  const int16_t* cursor = samples;
  size_t remaining = count;
  while (remaining > 0) {
    int32_t frames = kChunkFrames;
    int32_t first_frame_index = 0;
    fe_process_frames(front_end, &cursor, &remaining, rows.data(), &frames, &first_frame_index);
    for (int32_t i = 0; i < frames; ++i) {
      sum.add(rows[static_cast<size_t>(i)]);
    }
    if (frames == 0) {
      break;
    }
  }
  int32_t last_frames = 0;
  fe_end_utt(front_end, storage.data(), &last_frames);
  if (last_frames > 0) {
    sum.add(storage.data());
  }
  if (sum.frames == 0) {
    return;
  }

  std::vector<mfcc_t> mean(width);
  for (size_t i = 0; i < width; ++i) {
    mean[i] = static_cast<mfcc_t>(sum.totals[i] / static_cast<double>(sum.frames));
  }
  cmn_live_set(ps_get_feat(decoder)->cmn_struct, mean.data());
}

}  // namespace aai::local
