package io.callbackingress.spool;

/**
 * Where a record ends in the spool, as handed out by {@link Spool#next(int)} to be passed back to
 * {@link Spool#acknowledge(SpoolPosition)}. Meaningful only to the {@link Spool} instance that
 * produced it: {@code sequence} counts records since that instance opened and is not persisted.
 */
public record SpoolPosition(long segment, long offset, long sequence) {}
