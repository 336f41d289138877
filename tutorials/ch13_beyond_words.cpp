// Chapter 13 — 本章小结 (summary): beyond words, embeddings for a tiny recommender.
//
// The one idea: anything with an id can have an embedding, not only words. Give each user and
// each film a vector, and predict a rating as the dot product of the two (plus the mean rating
// 3). Training on the ratings we know places users near the films they like; the ratings we do
// not know are then predicted, and films liked by the same people end up with similar vectors.
//
// Numbers: 6 users, 6 films, D = 2 (--dim). Ann, Bob and Cai like action films; Dan, Eve and
// Fei like romance. Eight ratings are unknown (0 in the table) and never used in training.
// The chapter, the last of the unit, ends with the unit's summary (本章小结), its numbers
// taken from this run.
//
// Run: ch13_beyond_words [--dim 2] [--steps 400] [--lr 0.05] [--penalty 0.02] [--seed 3]
//      (writes ch13_film_map.svg)
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "chapter.h"
#include "embedlab.h"

using namespace embedlab;

namespace {

const std::vector<std::string> kUsers = {"Ann", "Bob", "Cai", "Dan", "Eve", "Fei"};
const std::vector<std::string> kFilms = {"Die Hard", "Mad Max",      "John Wick",
                                         "Titanic",  "Notting Hill", "The Notebook"};
// Ratings 1-5 by user (row) and film (column); 0 = unknown. Films 0-2 are action, 3-5 romance.
const std::vector<std::vector<float>> kRatings = {{5, 4, 0, 1, 2, 1}, {4, 5, 5, 0, 1, 2},
                                                  {5, 0, 4, 2, 1, 0}, {1, 2, 1, 5, 0, 4},
                                                  {0, 1, 2, 4, 5, 5}, {2, 1, 0, 5, 4, 0}};

std::string genre(int64_t film) {
  return film < 3 ? "action" : "romance";
}
std::string taste(int64_t user) {
  return user < 3 ? "action" : "romance";
}

// The predicted rating of (user, film) pairs: dot(user vector, film vector) + 3.
Tensor predict(nn::Embedding& users, nn::Embedding& films, const Tensor& user_ids,
               const Tensor& film_ids) {
  return rowwise_dot(users(user_ids), films(film_ids)) + 3.0f;
}

}  // namespace

int main(int argc, char** argv) try {
  tutorial::Chapter chapter({13, "本章小结", "summary: beyond words"},
                            "Anything with an id can be embedded: users and films in a tiny "
                            "recommender; then the unit's summary.");
  int64_t D = 2, steps = 400, seed = 3;
  double lr = 0.05, penalty_weight = 0.02;
  chapter.knob("--dim", D, "D: numbers per user and per film (the map shows the first two)");
  chapter.knob("--steps", steps, "training steps (full batch, Adam)");
  chapter.knob("--lr", lr, "Adam's learning rate");
  chapter.knob("--penalty", penalty_weight, "weight of the L2 penalty on the vectors' lengths");
  chapter.knob("--seed", seed, "seed of the initial vectors");
  if (const int code = chapter.parse(argc, argv); code >= 0) return code;
  if (D < 2 || steps < 1) {
    throw ValueError(
        fmt::format("need --dim >= 2 (the map needs two numbers) and --steps >= 1, "
                    "got {} and {}",
                    D, steps));
  }
  const auto U = static_cast<int64_t>(kUsers.size()), F = static_cast<int64_t>(kFilms.size());

  // 1. The known ratings as three parallel lists: user id, film id, rating.
  std::vector<int64_t> user_list, film_list;
  std::vector<float> rating_list;
  for (int64_t u = 0; u < U; ++u) {
    for (int64_t f = 0; f < F; ++f) {
      if (kRatings[u][f] == 0) continue;
      user_list.push_back(u);
      film_list.push_back(f);
      rating_list.push_back(kRatings[u][f]);
    }
  }
  const auto M = static_cast<int64_t>(rating_list.size());
  const Tensor user_ids = from_ids(user_list, Shape{M}), film_ids = from_ids(film_list, Shape{M});
  const Tensor ratings = from_vector(rating_list, Shape{M});
  fmt::print("known ratings: {} of {}; unknown: {}\n", M, U * F, U * F - M);

  // 2. Two tables, (6, D) each, trained so that dot(user, film) + 3 matches the known ratings.
  //    A small penalty on the vectors' lengths (L2 regularisation) keeps them from growing to
  //    fit the known ratings exactly; without it (--penalty 0) unknown pairs can come out far
  //    outside the 1-5 scale.
  manual_seed(static_cast<uint64_t>(seed));
  nn::Embedding users(U, D), films(F, D);
  optim::Adam adam({users.weight, films.weight}, {.lr = lr});
  const auto penalty_factor = static_cast<float>(penalty_weight);
  float final_error = 0.0f;
  for (int64_t step = 0; step <= steps; ++step) {
    Tensor error = nn::mse_loss(predict(users, films, user_ids, film_ids), ratings);
    Tensor penalty = penalty_factor * (users.weight.pow(2).sum() + films.weight.pow(2).sum());
    Tensor loss = error + penalty;
    final_error = error.item();
    if (!std::isfinite(final_error) || !std::isfinite(penalty.item())) {
      // Too large a step sends the vectors to infinity; every later number would be nan.
      throw ValueError(fmt::format(
          "training diverged at step {}: the loss is no longer a finite number (mean squared "
          "error {}, size penalty {}); try a smaller --lr than {}",
          step, final_error, penalty.item(), lr));
    }
    if (step % (std::max<int64_t>(steps / 4, 1)) == 0 || step == steps) {
      fmt::print("step {:3d}: mean squared error {:.4f}, size penalty {:.4f}\n", step, error.item(),
                 penalty.item());
    }
    adam.zero_grad();
    loss.backward();
    adam.step();
  }

  // 3. The unknown ratings: does each prediction follow the user's taste?
  NoGradGuard no_grad;
  int agree = 0, unknown = 0;
  for (int64_t u = 0; u < U; ++u) {
    for (int64_t f = 0; f < F; ++f) {
      if (kRatings[u][f] != 0) continue;
      const float score =
          predict(users, films, from_ids({u}, Shape{1}), from_ids({f}, Shape{1})).item();
      const bool likes = score > 3.0f, should = taste(u) == genre(f);
      agree += likes == should ? 1 : 0;
      ++unknown;
      fmt::print("unseen: {} ({} fan) x {:<12} ({:<7}): predicted {:.2f} -> {}\n", kUsers[u],
                 taste(u), kFilms[f], genre(f), score, likes ? "recommend" : "skip");
    }
  }
  fmt::print("unseen predictions that follow the user's taste: {}/{}\n", agree, unknown);

  // 4. Films close to each other by cosine: the nearest neighbour of each film.
  int same_genre = 0;
  for (int64_t f = 0; f < F; ++f) {
    int64_t best = -1;
    float best_cosine = -2.0f;
    for (int64_t g = 0; g < F; ++g) {
      const float c = cosine_similarity(films.weight[f], films.weight[g]).item();
      if (g != f && c > best_cosine) {
        best_cosine = c;
        best = g;
      }
    }
    same_genre += genre(best) == genre(f);
    fmt::print("most similar to {:<12}: {:<12} (cosine {:.3f})\n", kFilms[f], kFilms[best],
               best_cosine);
  }
  fmt::print("films whose nearest film has the same genre: {}/{}\n", same_genre, F);
  fmt::print("across genres: cosine(Die Hard, Titanic) = {:.3f}\n",
             cosine_similarity(films.weight[0], films.weight[3]).item());

  // 5. The vectors as points on a plane: the first two of their D numbers, films and users
  //    together (with D = 2 that is the whole vector).
  viz::ScatterMap map(D == 2 ? std::string("Films and users, learned vectors (D = 2)")
                             : fmt::format("Films and users, learned vectors: numbers 1 and 2 of "
                                           "D = {}",
                                           D));
  for (int64_t f = 0; f < F; ++f) {
    map.add_point(films.weight.at(f, 0), films.weight.at(f, 1), kFilms[f], genre(f) + " film");
  }
  for (int64_t u = 0; u < U; ++u) {
    map.add_point(users.weight.at(u, 0), users.weight.at(u, 1), kUsers[u], "user");
  }
  map.set_equal_aspect(true);
  const auto picture = chapter.output_file("ch13_film_map.svg");
  map.save(picture.string());
  fmt::print("wrote {}\n\n", picture.filename().string());

  // 6. 本章小结, the unit's summary: what each section said, with this chapter's numbers.
  const int64_t table_numbers = (U + F) * D;
  fmt::print("本章小结 (summary of the unit):\n");
  fmt::print(
      "  1-3. An embedding maps each discrete thing (a word, a user, a film) to a vector, its "
      "fingerprint; closeness between vectors stands for likeness.\n");
  fmt::print(
      "  4-5. The layer is a trainable (V, D) table read by rows: here two tables, ({}, {}) "
      "users and ({}, {}) films, {} numbers in all.\n",
      U, D, F, D, table_numbers);
  fmt::print(
      "  6-7. Whole-tensor ops turn many things into vectors at once: all {} known ratings "
      "are predicted by one rowwise_dot per step.\n",
      M);
  fmt::print(
      "  8, 11. Dense is small: one-hot, a user is {} numbers and a film {}, growing with "
      "every new user and film; the embedding keeps D = {} numbers each.\n",
      U, F, D);
  fmt::print(
      "  9-10. Generalisation through similarity: {}/{} unknown ratings follow the user's "
      "taste, and {}/{} films have a same-genre nearest neighbour.\n",
      agree, unknown, same_genre, F);
  fmt::print(
      "  12. D is a design choice: D = {} fits the known ratings to a mean squared error of "
      "{:.3f} with {} parameters; more D costs more and needs more data.\n",
      D, final_error, table_numbers);
  fmt::print(
      "  13. Embeddings reach beyond words: NLP, recommender systems (this chapter), images.\n");

  chapter.finish(
      "users, films, anything with an id can be embedded; closeness in the vector space is what "
      "the model uses.",
      {fmt::format("{} --penalty 0   (no L2 penalty: look at the unknown ratings' range)",
                   chapter.program()),
       fmt::format("{} --dim 4 --seed 5   (more numbers per vector: same recommendations?)",
                   chapter.program()),
       fmt::format("{} --steps 20   (stopped early: do the genres separate yet?)",
                   chapter.program())});
  return 0;
} catch (const std::exception& error) {
  return embedlab::tutorial::Chapter::fail(error);
}
