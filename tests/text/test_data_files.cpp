// Tests of the bundled data/ files: the feelings corpus tokenizes cleanly and holds the words
// the similarity chapters rely on, and happy_sad.tsv parses with balanced labels.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "text/corpus.h"
#include "text/tokenizer.h"

using namespace embedlab::text;

namespace {

const std::string kDataDir = std::string(EMBEDLAB_SOURCE_DIR) + "/data/";

}  // namespace

TEST_CASE("the feelings corpus holds the happy and sad words often enough", "[text][data]") {
  const std::string path = kDataDir + "feelings_corpus.txt";
  CorpusReader reader(path);  // strict: the file must be valid UTF-8
  int64_t sentences = 0;
  reader.for_each_sentence([&](const std::vector<std::string>&) { ++sentences; });
  CHECK(sentences >= 600);
  CHECK(sentences <= 1500);

  const TokenCounts counts = count_tokens(path);
  const auto count_of = [&](const std::string& token) {
    const auto it = counts.find(token);
    return it == counts.end() ? int64_t{0} : it->second;
  };
  for (const char* word :
       {"happy", "joyful", "glad", "cheerful", "sad", "unhappy", "sorrowful", "gloomy"}) {
    INFO(word);
    CHECK(count_of(word) >= 50);
  }
  // Everyday words about food, weather, work and family appear too.
  for (const char* word : {"rice", "noodles", "rain", "sunshine", "work", "mother", "family"}) {
    INFO(word);
    CHECK(count_of(word) >= 5);
  }
  // Chinese arrives as words (ICU's dictionary); each feeling word needs many contexts.
  for (const char* word : {"快乐", "开心", "高兴", "悲伤", "难过", "忧伤"}) {
    INFO(word);
    CHECK(count_of(word) >= 50);
  }
  // Happy and sad words are balanced, so neither side dominates training.
  CHECK(count_of("happy") == count_of("sad"));
  CHECK(count_of("快乐") == count_of("悲伤"));
}

TEST_CASE("happy_sad.tsv parses into balanced happy and sad sentences", "[text][data]") {
  std::ifstream in(kDataDir + "happy_sad.tsv", std::ios::binary);
  REQUIRE(in);
  std::map<std::string, int> labels;
  int chinese = 0;
  int lines = 0;
  std::string line;
  while (std::getline(in, line)) {
    ++lines;
    INFO("line " << lines << ": " << line);
    const std::size_t tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    const std::string label = line.substr(0, tab);
    const std::string sentence = line.substr(tab + 1);
    CHECK((label == "happy" || label == "sad"));
    CHECK(sentence.find('\t') == std::string::npos);
    CHECK_FALSE(tokenize(sentence).empty());
    ++labels[label];
    if (static_cast<unsigned char>(sentence[0]) >= 0x80) ++chinese;
  }
  CHECK(lines == 60);
  CHECK(labels["happy"] == 30);
  CHECK(labels["sad"] == 30);
  CHECK(chinese == 30);
}

TEST_CASE("chinese_poems.txt is valid UTF-8 and ICU cuts it into words", "[text][data][chinese]") {
  const std::string path = kDataDir + "chinese_poems.txt";
  CorpusReader reader(path);  // strict: the file must be valid UTF-8
  int64_t poems = 0;
  reader.for_each_sentence([&](const std::vector<std::string>&) { ++poems; });
  CHECK(poems == 9437);  // one poem per line (data/README.md)
  const TokenCounts counts = count_tokens(path);
  const auto count_of = [&](const std::string& token) {
    const auto it = counts.find(token);
    return it == counts.end() ? int64_t{0} : it->second;
  };
  // The course's words arrive whole (data/README.md lists these counts).
  CHECK(count_of("快乐") == 45);
  CHECK(count_of("悲伤") >= 100);
  CHECK(count_of("伤心") >= 500);
  CHECK(count_of("快") < count_of("快乐") * 100);  // 快 alone is a word of its own, not a piece
}
