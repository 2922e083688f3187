package io.callbackingress.support;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * The random choices of a fuzz, reproducible from one seed, and biased towards the values where
 * bugs live: bounds, zero and its neighbours, empty and longest sizes.
 *
 * <p>Implementation notes: one {@link SplittableRandom} per seed; {@link #split} gives an
 * independent stream whose values depend only on this one's position, so the same seed gives the
 * same sequence whatever is done with each split. Numbers and sizes are drawn in three ways: one
 * draw in {@value #EDGE_ONE_IN} is an edge (a bound, 0, 1, -1 or a bound's neighbour, whichever
 * the range holds), half of the rest are small (near 0, or near the lower bound when 0 is out of
 * range), the others uniform over the whole range — a uniform draw alone would almost never give
 * an empty string or a bound of a wide range.
 */
public final class EdgeBiasedRandom {

  /** Often enough that a few hundred draws reach every edge of a small schema, rarely enough to leave room for the rest. */
  private static final int EDGE_ONE_IN = 5;
  /** How far from the small end a "small" draw may land. */
  private static final long SMALL = 100;

  private final SplittableRandom random;

  public EdgeBiasedRandom(long seed) {
    this(new SplittableRandom(seed));
  }

  private EdgeBiasedRandom(SplittableRandom random) {
    this.random = random;
  }

  /** An independent stream of choices, determined by this one's seed and the draws before. */
  public EdgeBiasedRandom split() {
    return new EdgeBiasedRandom(random.split());
  }

  /** True once in {@code n} draws. */
  public boolean oneIn(int n) {
    return random.nextInt(n) == 0;
  }

  /** Uniform in {@code [0, n)}. */
  public int below(int n) {
    return random.nextInt(n);
  }

  public long nextLong() {
    return random.nextLong();
  }

  public <T> T any(List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  /** An index of {@code weights}, each drawn in proportion to its weight. */
  public int weighted(int... weights) {
    int draw = random.nextInt(Arrays.stream(weights).sum());
    for (int i = 0; i < weights.length; i++) {
      draw -= weights[i];
      if (draw < 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("no positive weight");
  }

  /** A whole number in {@code [min, max]}: an edge, a small one, or any. */
  public long integer(long min, long max) {
    if (min >= max) {
      return min;
    }
    if (oneIn(EDGE_ONE_IN)) {
      return any(LongStream.of(min, max, 0, 1, -1, min + 1, max - 1).filter(edge -> edge >= min && edge <= max).boxed().toList());
    }
    if (random.nextBoolean()) {
      long small = min > 0 ? min : max < 0 ? max : 0;
      return Math.max(min, Math.min(max, small + (random.nextBoolean() ? 1 : -1) * random.nextLong(SMALL)));
    }
    return max == Long.MAX_VALUE ? random.nextLong(min, max) : random.nextLong(min, max + 1);
  }

  /** A number in {@code [min, max]} with at most two decimals, or an edge: a bound, 0, or ±0.01. */
  public double decimal(double min, double max) {
    if (min >= max) {
      return min;
    }
    if (oneIn(EDGE_ONE_IN)) {
      return any(List.of(min, max, 0.0, 0.01, -0.01).stream().filter(edge -> edge >= min && edge <= max).toList());
    }
    double any = random.nextBoolean() ? integer((long) min, (long) max) + random.nextInt(100) / 100.0 : random.nextDouble(min, max);
    return Math.max(min, Math.min(max, Math.round(any * 100) / 100.0));
  }

  /**
   * A size (of a string or a list) in {@code [min, max]}: an edge — {@code min}, or {@code max}
   * when it is at most {@code longest} — or a size up to {@code common} (or {@code min} if more).
   */
  public int size(int min, int max, int common, int longest) {
    if (oneIn(EDGE_ONE_IN)) {
      return max <= longest && random.nextBoolean() ? max : min;
    }
    return (int) integer(min, Math.min(max, Math.max(min, common)));
  }
}
