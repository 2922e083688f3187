/**
 * The contract between the ingress and its extensions (SPEC 12), published as the SPI jar
 * ({@code io.callbackingress:callback-ingress:<version>:jar:spi}) together with the author's
 * toolkit ({@link io.callbackingress.spi.toolkit}). A plugin compiles against that jar and the
 * third-party APIs its signatures use — Vert.x core, SQL client and Postgres client, Jackson (under
 * Vert.x's JSON), Micrometer — all {@code provided}, and runs on the class path beside the fat jar,
 * which holds the same classes. Everything else in the fat jar is internal and may change at any
 * time; the SPI jar does not contain it, so a plugin that imports it does not compile.
 *
 * <p>What a plugin implements. Each is found with {@link java.util.ServiceLoader} through a
 * {@code META-INF/services/io.callbackingress.spi.<Type>} file, so it needs a public no-argument
 * constructor. A family is one instance for the whole process; a provider may be instantiated
 * more than once (an auth provider per family that names it), so it keeps its state in what it
 * makes.
 * <ul>
 *   <li>{@link io.callbackingress.spi.EndpointFamily}: routes ({@link io.callbackingress.spi.Endpoint}),
 *       their writes ({@link io.callbackingress.spi.WriteOperation}), migrations, config keys,
 *       live channels and retained tables. Switched by {@code families.<name>.enabled}.
 *   <li>{@link io.callbackingress.spi.WebhookScheme}, making a
 *       {@link io.callbackingress.spi.WebhookSource} per configured source
 *       ({@code webhooks.sources.<source>.scheme}).
 *   <li>{@link io.callbackingress.spi.AuthProvider}, making an
 *       {@link io.callbackingress.spi.Authenticator} per family ({@code families.<name>.auth}).
 *   <li>{@link io.callbackingress.spi.RetryPolicy} ({@code retry.policy}),
 *       {@link io.callbackingress.spi.MetricsCollector} ({@code plugins.metrics}) and
 *       {@link io.callbackingress.spi.AuditSink} ({@code plugins.audit}): one is chosen by name.
 * </ul>
 *
 * <p>What a plugin calls: the ingress implements {@link io.callbackingress.spi.FamilyContext},
 * {@link io.callbackingress.spi.Call}, {@link io.callbackingress.spi.Writer},
 * {@link io.callbackingress.spi.WriteContext}, {@link io.callbackingress.spi.ConfigSection},
 * {@link io.callbackingress.spi.DeadLetterOperations} and {@link io.callbackingress.spi.RetrySettings}
 * and hands them in; a plugin does not implement them. The values it builds or throws —
 * {@link io.callbackingress.spi.Reply}, {@link io.callbackingress.spi.ApiException},
 * {@link io.callbackingress.spi.Violations}, {@link io.callbackingress.spi.ConfigException},
 * {@link io.callbackingress.spi.LiveChannel}, {@link io.callbackingress.spi.RetainedTable} — are
 * final classes and records.
 *
 * <p>Lifecycle, in order.
 * <ol>
 *   <li>On the main thread: every family's
 *       {@link io.callbackingress.spi.EndpointFamily#configure configure}, enabled or not, while
 *       the configuration is read; then the providers chosen by name, and
 *       {@link io.callbackingress.spi.AuthProvider#create} per enabled family. A
 *       {@link io.callbackingress.spi.ConfigException} here stops start-up with its one line and
 *       exit code 2.
 *   <li>The enabled families' migrations are applied, each family with a history table of its own.
 *   <li>{@link io.callbackingress.spi.EndpointFamily#start} once per enabled family, on the event
 *       loop of a verticle of its own; then {@link io.callbackingress.spi.EndpointFamily#endpoints}
 *       once on every event loop, with that loop's context (the webhooks family calls
 *       {@link io.callbackingress.spi.WebhookScheme#source} there, per source). Any failure stops
 *       start-up.
 *   <li>Requests are served. A write spooled while Postgres was away is replayed, possibly by a
 *       later process, through the operation of the same {@link io.callbackingress.spi.WriteOperation#name}.
 *   <li>On SIGTERM the listeners stop, in-flight requests finish, then
 *       {@link io.callbackingress.spi.EndpointFamily#stop} runs.
 * </ol>
 *
 * <p>Threading. Endpoints are built on an event loop and every request is served start to
 * finish on the loop that accepted it: validators, actions, authenticators, webhook sources,
 * metrics collectors, audit sinks and retry policies all run on event loops, so none of them may
 * block — no JDBC, no file or socket I/O, no {@code sleep}, no {@code Future.await}. Reach Postgres
 * through {@link io.callbackingress.spi.FamilyContext#reads()} and
 * {@link io.callbackingress.spi.FamilyContext#writer()}, and put the rare blocking call on
 * {@code vertx().executeBlocking}. The one instance of an implementation serves every loop at
 * once: fields written in {@code configure} or a constructor may be read from any loop (deploying
 * the verticles publishes them); state that changes while serving lives in what
 * {@code endpoints(context)} builds for its own loop, or must be thread-safe. A loop's
 * {@link io.callbackingress.spi.FamilyContext} and {@link io.callbackingress.spi.Writer} belong to
 * that loop: use them only from it.
 *
 * <p>Compatibility. The SPI jar carries the fat jar's version. A plugin built against one version
 * runs beside a later one unless a breaking change lies between them; between versions:
 * <ul>
 *   <li>an interface a plugin implements gains methods only with a default;
 *   <li>an interface a plugin only calls may gain methods (a test double that implements one may
 *       need them);
 *   <li>a record a plugin only receives ({@link io.callbackingress.spi.AuditRecord},
 *       {@link io.callbackingress.spi.AuthSettings}, {@link io.callbackingress.spi.SpoolStats}) may
 *       gain components, and so may {@link io.callbackingress.spi.Endpoint} and
 *       {@link io.callbackingress.spi.Reply}: build them with their factories (and
 *       {@code new Reply(status, body)}), not their canonical constructors;
 *   <li>anything else — a removal, a changed signature or meaning, another major version of
 *       Vert.x, Jackson or Micrometer — is a breaking change, made only in a new minor version
 *       while the version is 0.x and a new major version after.
 * </ul>
 * What a plugin persists is its own to keep compatible: its migrations, and the name and input
 * components of each write operation, since a spool written by one version is replayed by the next
 * ({@link io.callbackingress.spi.WriteOperation#input()}).
 */
package io.callbackingress.spi;
