using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Fhir;
using FhirSecurity.Core.Http;

namespace FhirSecurity.Core.Diagnostics;

/// <summary>
/// Tests one resolved connection step by step: DNS, TCP, TLS (the connection's own policy), an OAuth token (a fresh
/// request), <c>GET [base]/metadata</c> with the connection's credentials, and the server's clock. Each step is timed
/// and reported; a step whose prerequisite failed is <see cref="ConnectionTestStatus.Skipped"/>. A failure never
/// throws: it becomes a failed step carrying an error with the step's stable id. Only cancellation (Ctrl-C) ends the
/// test early.
/// </summary>
/// <remarks>
/// The token step asks the token endpoint directly (<see cref="TokenClient"/>) so it tests the credentials now, not
/// a cached token. That token is used for the metadata request and then dropped: a test leaves the shared token cache
/// as it was. When the token step fails, metadata is still requested, without credentials, as many servers publish
/// their CapabilityStatement to anyone; if the server wants credentials for it, the step is Skipped, not Failed, so
/// one root cause makes one error.
/// </remarks>
public sealed class ConnectionTest
{
    private readonly ResolvedConnection _connection;
    private readonly HandlerPool _pool;
    private readonly TimeProvider _clock;
    private readonly ConnectionTestOptions _options;

    /// <summary>Creates a test of <paramref name="connection"/> over the handler pool the request path uses.</summary>
    public ConnectionTest(
        ResolvedConnection connection, HandlerPool pool, TimeProvider clock, ConnectionTestOptions options)
    {
        _connection = connection;
        _pool = pool;
        _clock = clock;
        _options = options;
    }

    private Uri BaseUri => _connection.Connection.BaseUri;

    private string Host => BaseUri.IdnHost;

    // The proxy the request path's handler would use for the base URI (the connection's own, or the system's), or null.
    // With one, DNS and TCP are about the hop this machine talks to: the proxy; the proxy resolves and reaches the
    // server.
    private Uri? Proxy => _connection.Transport.Proxy.ProxyFor(BaseUri);

    private string DialHost => Proxy?.IdnHost ?? Host;

    private int DialPort => Proxy?.Port ?? BaseUri.Port;

    private string WhatToCheck => Proxy is null
        ? "Check the base URI (Set-FhirConnection -BaseUri)"
        : "Check the proxy URL (Set-FhirConnection -Proxy)";

    /// <summary>
    /// Runs every step in order. <paramref name="verbose"/> hears what is being checked (any thread). Throws
    /// <see cref="OperationCanceledException"/> only when <paramref name="cancellation"/> is cancelled.
    /// </summary>
    public async Task<ConnectionTestReport> RunAsync(CancellationToken cancellation, Action<string>? verbose = null)
    {
        var total = Stopwatch.StartNew();
        var steps = new List<ConnectionTestStep>();
        var found = new Findings();

        ConnectionTestStep Add(ConnectionTestStep step)
        {
            steps.Add(step);
            verbose?.Invoke($"{step.Name}: {step.Status} in {step.Duration.TotalMilliseconds:0} ms.");
            return step;
        }

        verbose?.Invoke(Proxy is null
            ? $"DNS: resolving '{Host}'."
            : $"DNS: resolving the proxy '{DialHost}' (the proxy resolves '{Host}').");
        ConnectionTestStep dns = Add(await ResolveAsync(found, cancellation).ConfigureAwait(false));

        ConnectionTestStep tcp;
        ConnectionTestStep tls;
        ServerStream? stream = null;
        try
        {
            if (dns.Status != ConnectionTestStatus.Passed)
            {
                tcp = Add(Skipped(ConnectionTestStepName.Tcp, "DNS failed: no address to connect to."));
            }
            else
            {
                verbose?.Invoke(
                    $"TCP: connecting to port {DialPort} of {string.Join(", ", found.Addresses)}"
                    + $"{(Proxy is null ? string.Empty : $" (the proxy), then CONNECT {Host}:{BaseUri.Port}")}.");
                (tcp, stream) = await ConnectAsync(found, cancellation).ConfigureAwait(false);
                Add(tcp);
            }

            if (BaseUri.Scheme != Uri.UriSchemeHttps)
            {
                tls = Add(new ConnectionTestStep(
                    ConnectionTestStepName.Tls,
                    ConnectionTestStatus.NotApplicable,
                    TimeSpan.Zero,
                    "The base URI is http://: nothing is encrypted."));
            }
            else if (stream is null)
            {
                tls = Add(Skipped(ConnectionTestStepName.Tls, "TCP failed: no connection to shake hands on."));
            }
            else
            {
                verbose?.Invoke(
                    $"TLS: handshake with {Host} ({_connection.Transport.Mode} validation,"
                    + $" TLS {TlsVersions.ToText(_connection.Transport.MinimumVersion)} or newer).");
                tls = Add(await HandshakeAsync(stream, found, cancellation).ConfigureAwait(false));
            }
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }

        bool serverReachable = tcp.Status == ConnectionTestStatus.Passed
            && tls.Status is ConnectionTestStatus.Passed or ConnectionTestStatus.NotApplicable;
        string unreachable = dns.Status != ConnectionTestStatus.Passed ? "DNS failed"
            : tcp.Status != ConnectionTestStatus.Passed ? "TCP failed"
            : "TLS failed";

        ConnectionTestStep token = Add(
            await TokenAsync(found, serverReachable, unreachable, verbose, cancellation).ConfigureAwait(false));

        ConnectionTestStep metadata;
        if (!serverReachable)
        {
            metadata = Add(Skipped(
                ConnectionTestStepName.Metadata, $"{unreachable}: the FHIR server cannot be reached."));
        }
        else
        {
            verbose?.Invoke($"Metadata: GET {FhirUris.Resolve(BaseUri, "metadata", null)} {CredentialsText(token)}.");
            metadata = Add(await MetadataAsync(found, token, verbose, cancellation).ConfigureAwait(false));
        }

        Add(Clock(found, metadata));

        return new ConnectionTestReport
        {
            Connection = _connection.Connection.Name,
            Vault = _connection.Vault,
            BaseUri = BaseUri,
            Steps = steps,
            Addresses = found.Addresses.Select(a => a.ToString()).ToArray(),
            RemoteEndPoint = found.RemoteEndPoint,
            TlsProtocol = found.TlsProtocol,
            CipherSuite = found.CipherSuite,
            TlsValidation = _connection.Transport.Mode,
            ServerCertificates = found.Certificates,
            TokenEndpoint = _connection.OAuth?.TokenUrl,
            GrantedScopes = found.GrantedScopes,
            TokenLifetime = found.Token?.Lifetime,
            FhirVersion = found.FhirVersion,
            Software = found.Software,
            ClockSkew = found.ClockSkew,
            Duration = total.Elapsed,
        };
    }

    private async Task<ConnectionTestStep> ResolveAsync(Findings found, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        if (IPAddress.TryParse(DialHost, out IPAddress? literal))
        {
            found.Addresses = [literal];
            return new ConnectionTestStep(
                ConnectionTestStepName.Dns,
                ConnectionTestStatus.Passed,
                watch.Elapsed,
                $"{DialHost} is an IP address: nothing to resolve.");
        }

        using CancellationTokenSource deadline = Deadline(cancellation);
        try
        {
            // WaitAsync: the platform resolver does not always stop when asked; the test must.
            IPAddress[] addresses = await Dns.GetHostAddressesAsync(DialHost, deadline.Token)
                .WaitAsync(deadline.Token)
                .ConfigureAwait(false);
            if (addresses.Length == 0)
            {
                return Failed(
                    ConnectionTestStepName.Dns,
                    watch,
                    ErrorIds.ConnectionTestDnsFailed,
                    FailureCategory.ObjectNotFound,
                    $"the host name '{DialHost}' resolved to no address. {WhatToCheck} and this machine's DNS"
                    + " settings.");
            }

            found.Addresses = addresses;
            return new ConnectionTestStep(
                ConnectionTestStepName.Dns,
                ConnectionTestStatus.Passed,
                watch.Elapsed,
                $"{DialHost} resolved to {string.Join(", ", addresses.Select(a => a.ToString()))}.");
        }
        catch (SocketException ex)
        {
            return Failed(
                ConnectionTestStepName.Dns,
                watch,
                ErrorIds.ConnectionTestDnsFailed,
                FailureCategory.ObjectNotFound,
                $"the host name '{DialHost}' could not be resolved ({ex.Message}). {WhatToCheck} and this machine's DNS"
                + " settings.",
                ex);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return TimedOut(
                ConnectionTestStepName.Dns,
                watch,
                ErrorIds.ConnectionTestDnsFailed,
                $"resolving the host name '{DialHost}'",
                ". Check this machine's DNS servers.");
        }
    }

    private async Task<(ConnectionTestStep Step, ServerStream? Stream)> ConnectAsync(
        Findings found, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        using CancellationTokenSource deadline = Deadline(cancellation);
        ServerStream? stream = null;
        try
        {
            stream = await ServerConnector.ConnectAsync(found.Addresses, DialPort, deadline.Token)
                .ConfigureAwait(false);
            found.RemoteEndPoint = stream.RemoteEndPoint;
            string detail = $"Connected to {stream.RemoteEndPoint}.";
            if (Proxy is { } proxy)
            {
                await ProxyTunnel
                    .OpenAsync(stream.Stream, Host, BaseUri.Port, _connection.Transport.Proxy, deadline.Token)
                    .ConfigureAwait(false);
                detail = $"Connected to the proxy {proxy.Authority} ({stream.RemoteEndPoint}); it opened a tunnel to"
                    + $" {Host}:{BaseUri.Port}.";
            }

            return (
                new ConnectionTestStep(ConnectionTestStepName.Tcp, ConnectionTestStatus.Passed, watch.Elapsed, detail),
                stream);
        }
        catch (IOException ex)
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            string what = Proxy is { } proxy && stream is not null
                ? $"the proxy {proxy.Authority} did not open a tunnel to {Host}:{BaseUri.Port} ({ex.Message})."
                  + " Check the proxy settings (Set-FhirConnection -Proxy/-ProxyCredential/-NoProxy) and that the"
                  + " proxy allows this server"
                : $"could not connect to port {DialPort} of {DialHost}"
                  + $"{(Proxy is null ? string.Empty : " (the proxy)")} ({ex.Message})."
                  + $" Check that the {(Proxy is null ? "server" : "proxy")} is running, the port"
                  + $"{(Proxy is null ? " in the base URI" : string.Empty)}, and firewalls on the way";
            return (
                Failed(
                    ConnectionTestStepName.Tcp,
                    watch,
                    ErrorIds.ConnectionTestTcpFailed,
                    FailureCategory.ConnectionError,
                    what + ".",
                    ex),
                null);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            string tunnel = Proxy is null ? string.Empty : " (the proxy) and opening the tunnel";
            string connecting = $"connecting to port {DialPort} of {DialHost}{tunnel}";
            return (TimedOut(
                ConnectionTestStepName.Tcp, watch, ErrorIds.ConnectionTestTcpFailed, connecting,
                ": a firewall may be dropping the connection."), null);
        }
    }

    private async Task<ConnectionTestStep> HandshakeAsync(
        ServerStream stream, Findings found, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        TransportPolicy tls = _connection.Transport;
        bool? accepted = null;

        // Wraps the policy's own callback, only to see what the server presented, refused or not.
        bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            found.Certificates = Describe(certificate, chain);
            accepted = tls.Validate(sender, certificate, chain, errors);
            return accepted.Value;
        }

        using CancellationTokenSource deadline = Deadline(cancellation);
        try
        {
            await using var ssl = new SslStream(stream.Stream, leaveInnerStreamOpen: true);
            // The connection's own options (as its pooled handler has them), with the callback that also records the
            // chain.
            var options = new SslClientAuthenticationOptions { TargetHost = Host };
            tls.Configure(options);
            options.RemoteCertificateValidationCallback = Validate;
            await ssl.AuthenticateAsClientAsync(options, deadline.Token).ConfigureAwait(false);
            found.TlsProtocol = ssl.SslProtocol.ToString();
            found.CipherSuite = ssl.NegotiatedCipherSuite.ToString();
            string validation = tls.Mode == TlsValidationMode.Skip
                ? "the certificate was NOT validated (Skip)"
                : $"the certificate '{found.Certificates.FirstOrDefault()?.Subject}' was accepted by {tls.Mode}"
                  + " validation";
            return new ConnectionTestStep(
                ConnectionTestStepName.Tls,
                ConnectionTestStatus.Passed,
                watch.Elapsed,
                $"{found.TlsProtocol}, {found.CipherSuite}; {validation}"
                + $"{ClientCertificateNote(tls, ssl.LocalCertificate)}.");
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            string reason = accepted == false && tls.LastRefusal(Host) is { } refusal
                ? refusal.Reason
                : tls.ClientCertificateRequested(Host) && tls.ClientCertificate is null
                ? $"the handshake failed ({TransportFailures.Innermost(ex).Message}){ClientCertificateNote(tls, null)}"
                : $"the handshake failed ({TransportFailures.Innermost(ex).Message})"
                  + (tls.MinimumVersion == TlsVersion.Tls13
                      ? "; the connection requires TLS 1.3 (-MinimumTlsVersion 1.3), which the server may not offer"
                      : "; the server may offer only TLS versions older than 1.2, which are never used");
            return Failed(
                ConnectionTestStepName.Tls,
                watch,
                ErrorIds.ConnectionTestTlsFailed,
                FailureCategory.SecurityError,
                $"TLS with {Host}:{BaseUri.Port} failed ({tls.Mode} validation): {reason}. If the server uses an"
                + " internal CA, import it with Import-FhirCaBundle and use -TlsValidation CustomBundle.",
                ex);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            string handshake = $"the TLS handshake with {Host}:{BaseUri.Port}";
            return TimedOut(ConnectionTestStepName.Tls, watch, ErrorIds.ConnectionTestTlsFailed, handshake, ".");
        }
    }

    // With TLS 1.3 the server judges the client certificate after the client has finished its handshake, so a missing
    // or refused certificate shows only on the first request (the token or metadata step); a front such as nginx
    // finishes the handshake whatever it got and refuses that request with an error page, which those steps put down
    // to the missing certificate (ClientCertificateAnswers). Say here what was sent.
    private string ClientCertificateNote(TransportPolicy tls, X509Certificate? sent)
        => sent is not null ? $"; the client certificate '{sent.Subject}' was sent"
            : tls.ClientCertificateRequested(Host) && tls.ClientCertificate is null
                ? "; the server asked for a client certificate and the connection has none"
                  + " (Set-FhirConnection -ClientCertificatePath)"
                : string.Empty;

    private async Task<ConnectionTestStep> TokenAsync(
        Findings found,
        bool serverReachable,
        string unreachable,
        Action<string>? verbose,
        CancellationToken cancellation)
    {
        if (_connection.OAuth is not { } oauth)
        {
            return new ConnectionTestStep(
                ConnectionTestStepName.Token,
                ConnectionTestStatus.NotApplicable,
                TimeSpan.Zero,
                _connection.Basic is null
                    ? "The connection has no OAuth definition: no token."
                    : "The connection uses Basic Auth: no token.");
        }

        // A token endpoint on the FHIR server's own origin cannot be reached when the server cannot.
        if (!serverReachable
            && oauth.TokenUrl is { } tokenUrl
            && string.Equals(
                tokenUrl.GetLeftPart(UriPartial.Authority),
                BaseUri.GetLeftPart(UriPartial.Authority),
                StringComparison.OrdinalIgnoreCase))
        {
            return Skipped(ConnectionTestStepName.Token, $"{unreachable}: the token endpoint is on the same server.");
        }

        verbose?.Invoke(oauth.IsManagedIdentity
            ? $"Token: requesting a new token from {oauth.TokenSourceName}."
            : $"Token: requesting a new token for client '{oauth.ClientId}' from"
              + $" {oauth.TokenSourceName} ({oauth.ClientAuthentication}).");
        var watch = Stopwatch.StartNew();
        try
        {
            PooledClient client = _pool.GetClient(_connection.Transport);

            // Sent once: a test reports what the endpoint answers, not what a retry hid.
            AccessToken token = await TokenClient.RequestAsync(
                    oauth,
                    client.Http,
                    client.Transport,
                    _clock,
                    _options.Timeout,
                    cancellation,
                    RetryPolicy.None,
                    verbose)
                .ConfigureAwait(false);
            found.Token = token;
            string[]? granted = token.GrantedScope?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            found.GrantedScopes = granted;
            string scopes = granted is null
                ? "the server did not list the granted scopes (RFC 6749: then the ones requested)"
                : $"granted scopes: {(granted.Length == 0 ? "(none)" : string.Join(' ', granted))}";
            string narrower = token.MissingScopes.Count == 0
                ? string.Empty
                : $"; requested but not granted: {string.Join(' ', token.MissingScopes)}";
            return new ConnectionTestStep(
                ConnectionTestStepName.Token,
                ConnectionTestStatus.Passed,
                watch.Elapsed,
                $"Token from {oauth.TokenSourceName},"
                + $" valid {Durations.Seconds(token.Lifetime)} s; {scopes}{narrower}.");
        }
        catch (FhirSecurityException ex)
        {
            return Failed(
                ConnectionTestStepName.Token, watch, ErrorIds.ConnectionTestTokenFailed, ex.Category, ex.Message, ex);
        }
    }

    private async Task<ConnectionTestStep> MetadataAsync(
        Findings found, ConnectionTestStep token, Action<string>? verbose, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        bool anonymous = _connection.OAuth is not null && found.Token is null;
        ResolvedConnection connection = anonymous ? _connection with { OAuth = null, Basic = null } : _connection;

        // A private cache holding only the token just tested: the request uses exactly it, and the shared cache is
        // not touched.
        var tokens = new TokenCache(_clock);
        if (found.Token is { } tested)
        {
            await tokens.GetAsync(connection.TokenKey!, connection.OAuth!, _ => Task.FromResult(tested), cancellation)
                .ConfigureAwait(false);
        }

        var request = new FhirRequest(
            HttpMethod.Get,
            FhirUris.Resolve(BaseUri, "metadata", null),
            null,
            new Dictionary<string, string>(),
            _options.Timeout)
        {
            // Sent once, as the token: a test reports the first answer.
            Retry = RetryPolicy.None,
        };
        string without = anonymous
            ? $" (sent without credentials: the token step {token.Status.ToString().ToLowerInvariant()})"
            : string.Empty;
        try
        {
            FhirResponse response = await new FhirClient(connection, _pool, tokens, _clock)
                .SendAsync(request, cancellation, verbose)
                .ConfigureAwait(false);
            if (response.Date is { } date)
            {
                found.ServerDate = date;
                found.LocalDate = _clock.GetUtcNow();
            }

            if (anonymous && response.StatusCode is 401 or 403)
            {
                return Skipped(
                    ConnectionTestStepName.Metadata,
                    $"The server wants credentials for its metadata (HTTP {response.StatusCode}) and the token step"
                    + $" {token.Status.ToString().ToLowerInvariant()}: nothing to test without a token.",
                    watch.Elapsed);
            }

            if (!response.IsSuccess)
            {
                FhirSecurityException failure = FhirPayload.Failure(response, "GET");
                return Failed(
                    ConnectionTestStepName.Metadata,
                    watch,
                    ErrorIds.ConnectionTestMetadataFailed,
                    failure.Category,
                    failure.Message + without,
                    failure);
            }

            CapabilitySummary? summary = CapabilitySummary.Read(response.Body);
            if (summary?.ResourceType != "CapabilityStatement")
            {
                string content = summary is null ? "not FHIR JSON" : $"resourceType '{summary.ResourceType}'";
                return Failed(
                    ConnectionTestStepName.Metadata,
                    watch,
                    ErrorIds.ConnectionTestMetadataFailed,
                    FailureCategory.InvalidData,
                    $"GET {response.Uri} answered HTTP {response.StatusCode}, but not with a CapabilityStatement"
                    + $" ({content}). Check that the base URI is the FHIR server's base{without}.");
            }

            found.FhirVersion = summary.FhirVersion;
            found.Software = summary.Software;
            string r4 = summary.FhirVersion?.StartsWith("4.0.", StringComparison.Ordinal) == true
                ? string.Empty
                : "; note: this module speaks FHIR R4 (4.0.1)";
            return new ConnectionTestStep(
                ConnectionTestStepName.Metadata,
                ConnectionTestStatus.Passed,
                watch.Elapsed,
                $"CapabilityStatement: FHIR {summary.FhirVersion ?? "(no fhirVersion)"},"
                + $" software {summary.Software ?? "(not named)"}{without}{r4}.");
        }
        catch (FhirSecurityException ex)
        {
            return Failed(
                ConnectionTestStepName.Metadata,
                watch,
                ErrorIds.ConnectionTestMetadataFailed,
                ex.Category,
                ex.Message + without,
                ex);
        }
    }

    private ConnectionTestStep Clock(Findings found, ConnectionTestStep metadata)
    {
        if (found.ServerDate is not { } server || found.LocalDate is not { } local)
        {
            return Skipped(
                ConnectionTestStepName.Clock,
                metadata.Status == ConnectionTestStatus.Passed
                    ? "The server's answer had no Date header."
                    : "No answer from the server with a Date header to compare.");
        }

        // The Date header counts whole seconds (truncated): the middle of that second is the best estimate.
        TimeSpan skew = server + TimeSpan.FromSeconds(0.5) - local;
        found.ClockSkew = skew;
        string direction = skew >= TimeSpan.Zero ? "ahead of" : "behind";
        string text = $"The server's clock is {Durations.Seconds(skew.Duration())} s {direction} this machine's"
            + $" (Date: {server.ToString("r", CultureInfo.InvariantCulture)};"
            + $" limit {Durations.Seconds(_options.MaximumClockSkew)} s)";
        if (skew.Duration() <= _options.MaximumClockSkew)
        {
            return new ConnectionTestStep(
                ConnectionTestStepName.Clock, ConnectionTestStatus.Passed, TimeSpan.Zero, text + ".");
        }

        var failure = new FhirSecurityException(
            ErrorIds.ConnectionTestClockSkew,
            FailureCategory.InvalidData,
            $"Connection '{_connection.Connection.Name}', clock: {text}. Token lifetimes and signed client assertions"
            + " (exp, nbf, iat) are checked against clocks, so authentication may fail: synchronise this machine's"
            + " clock (NTP) or ask the server's maintainers to.",
            _connection.Connection.Name);
        return new ConnectionTestStep(
            ConnectionTestStepName.Clock, ConnectionTestStatus.Failed, TimeSpan.Zero, text + ".", failure);
    }

    private ConnectionTestStep Failed(
        ConnectionTestStepName step,
        Stopwatch watch,
        string errorId,
        FailureCategory category,
        string reason,
        Exception? inner = null)
    {
        // The detail is the reason alone; the error says which connection and which step, for a log line on its own.
        string detail = char.ToUpperInvariant(reason[0]) + reason[1..];
        var failure = new FhirSecurityException(
            errorId,
            category,
            $"Connection '{_connection.Connection.Name}', {step}: {reason}",
            _connection.Connection.Name,
            inner);
        return new ConnectionTestStep(step, ConnectionTestStatus.Failed, watch.Elapsed, detail, failure);
    }

    private ConnectionTestStep TimedOut(
        ConnectionTestStepName step, Stopwatch watch, string errorId, string doing, string advice)
        => Failed(
            step,
            watch,
            errorId,
            FailureCategory.OperationTimeout,
            $"{doing} took longer than {Durations.Seconds(_options.Timeout)} s{advice}");

    private static ConnectionTestStep Skipped(ConnectionTestStepName step, string why, TimeSpan? duration = null)
        => new(step, ConnectionTestStatus.Skipped, duration ?? TimeSpan.Zero, why);

    private string CredentialsText(ConnectionTestStep token)
        => _connection.Basic is not null ? "with Basic Auth"
            : _connection.OAuth is null ? "without credentials"
            : token.Status == ConnectionTestStatus.Passed ? "with the token just fetched"
            : "without credentials (no token)";

    private CancellationTokenSource Deadline(CancellationToken cancellation)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(_options.Timeout);
        return deadline;
    }

    private static IReadOnlyList<ConnectionTestCertificate> Describe(X509Certificate? presented, X509Chain? chain)
    {
        if (presented is null)
        {
            return [];
        }

        using var leaf = new X509Certificate2(presented);
        var certificates = new List<ConnectionTestCertificate> { Describe(leaf) };

        // What the server sent after its leaf: SslStream hands those certificates to the callback in the chain's
        // ExtraStore.
        if (chain is not null)
        {
            certificates.AddRange(chain.ChainPolicy.ExtraStore
                .Where(c => !c.RawData.AsSpan().SequenceEqual(leaf.RawData))
                .Select(Describe));
        }

        return certificates;
    }

    private static ConnectionTestCertificate Describe(X509Certificate2 certificate)
        => new(
            certificate.Subject,
            certificate.Issuer,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            Convert.ToHexString(SHA256.HashData(certificate.RawData)));

    /// <summary>What the steps found, filled in as they run.</summary>
    private sealed class Findings
    {
        public IReadOnlyList<IPAddress> Addresses { get; set; } = [];

        public string? RemoteEndPoint { get; set; }

        public string? TlsProtocol { get; set; }

        public string? CipherSuite { get; set; }

        public IReadOnlyList<ConnectionTestCertificate> Certificates { get; set; } = [];

        public AccessToken? Token { get; set; }

        public IReadOnlyList<string>? GrantedScopes { get; set; }

        public string? FhirVersion { get; set; }

        public string? Software { get; set; }

        public DateTimeOffset? ServerDate { get; set; }

        public DateTimeOffset? LocalDate { get; set; }

        public TimeSpan? ClockSkew { get; set; }
    }
}
