/**
 * Helpers for family authors, built on the contract ({@link io.callbackingress.spi}) and nothing
 * else of ours — what the built-in families use:
 * <ul>
 *   <li>reading and checking bodies the way SPEC 2.5, 2.6 and 11a want:
 *       {@link io.callbackingress.spi.toolkit.JsonBodies}, {@link io.callbackingress.spi.toolkit.MediaTypes},
 *       {@link io.callbackingress.spi.toolkit.JsonInput}, {@link io.callbackingress.spi.toolkit.TextRule},
 *       {@link io.callbackingress.spi.toolkit.Identifiers}, {@link io.callbackingress.spi.toolkit.Uuids},
 *       {@link io.callbackingress.spi.toolkit.Storable}, {@link io.callbackingress.spi.toolkit.Sanitizer};
 *   <li>answering: {@link io.callbackingress.spi.toolkit.Replies};
 *   <li>storing and reading rows: {@link io.callbackingress.spi.toolkit.InsertOperation},
 *       {@link io.callbackingress.spi.toolkit.RowInsert}, {@link io.callbackingress.spi.toolkit.RowMapper},
 *       {@link io.callbackingress.spi.toolkit.Rows}, {@link io.callbackingress.spi.toolkit.TimeOrderedIds};
 *   <li>verifying webhooks: {@link io.callbackingress.spi.toolkit.Signatures},
 *       {@link io.callbackingress.spi.toolkit.Secrets}.
 * </ul>
 *
 * <p>None of it is required: the contract never asks a plugin for a toolkit type, so a plugin may
 * implement it with helpers of its own. Using these gives a plugin the answers of the built-in
 * families — the same 422 messages, the same redaction, the same id layout. They ship in the SPI
 * jar under its compatibility rules. All of it is safe on an event loop: nothing blocks, the
 * objects are immutable except a {@link io.callbackingress.spi.toolkit.JsonInput} (which reads one
 * body, on one loop), and the only state kept between calls is
 * {@link io.callbackingress.spi.toolkit.TimeOrderedIds}' random source, one per thread.
 */
package io.callbackingress.spi.toolkit;
