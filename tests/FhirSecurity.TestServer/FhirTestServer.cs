using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;

namespace FhirSecurity.TestServer;

/// <summary>
/// An HTTPS-only FHIR R4 + OAuth 2.0 server on 127.0.0.1 and a free port, for tests, benchmarks and the demo.
/// Three bases share one Patient store: <see cref="OpenBase"/> (no auth), <see cref="BasicBase"/> and <see cref="OAuthBase"/>.
/// </summary>
public sealed class FhirTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServerState _state;
    private readonly TlsSettings _tls;
    private readonly bool _ownsPki;
    private int _disposed;

    private FhirTestServer(WebApplication app, ServerState state, TlsSettings tls, TestPki pki, bool ownsPki, Uri origin)
    {
        _app = app;
        _state = state;
        _tls = tls;
        Pki = pki;
        _ownsPki = ownsPki;
        Origin = origin;
        OpenBase = new Uri(origin, "/open/fhir/");
        BasicBase = new Uri(origin, "/basic/fhir/");
        OAuthBase = new Uri(origin, "/oauth/fhir/");
        TokenEndpoint = new Uri(origin, TokenEndpointHandler.Path);
    }

    /// <summary>The PKI the server certificate comes from; trust <see cref="TestPki.Root"/> to reach the server.</summary>
    public TestPki Pki { get; }

    /// <summary><c>https://127.0.0.1:PORT/</c>.</summary>
    public Uri Origin { get; }

    /// <summary>The port Kestrel bound.</summary>
    public int Port => Origin.Port;

    /// <summary>FHIR base without authentication.</summary>
    public Uri OpenBase { get; }

    /// <summary>FHIR base that requires <c>Authorization: Basic</c>.</summary>
    public Uri BasicBase { get; }

    /// <summary>FHIR base that requires a Bearer token from <see cref="TokenEndpoint"/>.</summary>
    public Uri OAuthBase { get; }

    /// <summary>OAuth 2.0 token endpoint (client credentials).</summary>
    public Uri TokenEndpoint { get; }

    /// <summary>SMART discovery document of <see cref="OAuthBase"/>.</summary>
    public Uri SmartConfigurationUri => new(OAuthBase, ".well-known/smart-configuration");

    /// <summary>The certificate presented to new connections.</summary>
    public X509Certificate2 ServerCertificate => _tls.Certificate;

    /// <summary>The TLS version of the last completed handshake (None before the first).</summary>
    public SslProtocols LastTlsProtocol => _tls.LastProtocol;

    /// <summary>Request, connection and token counters.</summary>
    public ServerCounters Counters => _state.Counters;

    /// <summary>Faults to inject into coming requests.</summary>
    public FaultInjector Faults => _state.Faults;

    /// <summary>Scheme of the <c>Authorization</c> header on the last FHIR request (as sent), or null when it had none.</summary>
    public string? LastAuthorizationScheme => _state.LastAuthorizationScheme;

    /// <summary>The last token request, without secrets.</summary>
    public TokenRequestRecord? LastTokenRequest => _state.LastTokenRequest;

    /// <summary>Every private_key_jwt client assertion received (decoded, with the server's verdict), in order.</summary>
    public IReadOnlyList<ReceivedAssertion> ReceivedAssertions => _state.Assertions;

    /// <summary>
    /// Replaces the body of <see cref="SmartConfigurationUri"/> (served with 200 as JSON, whatever the text); null
    /// serves <see cref="DefaultSmartConfiguration"/>. Faults (<see cref="Faults"/>) give other statuses.
    /// </summary>
    public string? SmartConfigurationOverride
    {
        get => _state.SmartConfigurationOverride;
        set => _state.SmartConfigurationOverride = value;
    }

    /// <summary>The smart-configuration this server serves by default (a fresh copy to change for <see cref="SmartConfigurationOverride"/>).</summary>
    public System.Text.Json.Nodes.JsonObject DefaultSmartConfiguration()
        => CapabilityStatementBuilder.SmartConfiguration(TokenEndpoint.AbsoluteUri, _state.Options.OAuthClients.SelectMany(c => c.AllowedScopes));

    /// <summary>Subject of the last TLS client certificate seen on a request.</summary>
    public string? LastClientCertificateSubject => _state.LastClientCertificateSubject;

    /// <summary>Lifetime of tokens issued from now on.</summary>
    public TimeSpan TokenLifetime
    {
        get => _state.TokenLifetime;
        set => _state.TokenLifetime = value;
    }

    /// <summary>
    /// How far the Date header of every answer (FHIR and token endpoint) is set off the real clock, to play a server
    /// whose clock is wrong; zero (the default) sends the true time.
    /// </summary>
    public TimeSpan DateHeaderOffset
    {
        get => _state.DateHeaderOffset;
        set => _state.DateHeaderOffset = value;
    }

    /// <summary>
    /// How long every request to a FHIR base waits (after faults, before authentication) to play a remote server's
    /// latency; the token endpoint is not slowed. Zero (the default) adds nothing.
    /// </summary>
    public TimeSpan FhirLatency
    {
        get => _state.FhirLatency;
        set => _state.FhirLatency = value;
    }

    /// <summary><c>GET</c> here returns <see cref="Counters"/> as JSON, to loopback callers only; see <see cref="CountersEndpoint"/>.</summary>
    public Uri CountersUri => new(Origin, CountersEndpoint.Path);

    /// <summary>How <c>$export</c> behaves for exports kicked off from now on.</summary>
    public BulkExportScenario Bulk => _state.Bulk.Scenario;

    /// <summary>A second HTTPS origin (same certificate) that serves export files only.</summary>
    public Uri SecondOrigin => _state.Bulk.SecondOrigin!;

    /// <summary>Every Bulk Data request received (kick-offs, polls, files, deletes), in order.</summary>
    public IReadOnlyList<BulkRequestRecord> BulkRequests => _state.Bulk.Requests;

    /// <summary>Every file signature the server put into a manifest: canaries for redaction tests.</summary>
    public IReadOnlyCollection<string> IssuedFileSignatures => _state.Bulk.Signatures;

    /// <summary>How many exports were cancelled with DELETE.</summary>
    public int DeletedExports => _state.Bulk.DeletedExports;

    private ManagedIdentityEndpoint _managedIdentity = null!;

    /// <summary>What IDENTITY_ENDPOINT names: the managed identity endpoint on plain HTTP, loopback.</summary>
    public Uri ManagedIdentityEndpoint => new($"http://127.0.0.1:{_state.ManagedIdentityPort}{TestServer.ManagedIdentityEndpoint.Path}");

    /// <summary>What IDENTITY_HEADER holds: the endpoint's secret (a canary).</summary>
    public string IdentityHeader => _state.IdentityHeader;

    /// <summary>Every request the managed identity endpoint received.</summary>
    public IReadOnlyList<ManagedIdentityRequestRecord> ManagedIdentityRequests => _managedIdentity.Requests;

    /// <summary>A status every managed identity request is answered with (a fault), or null for none.</summary>
    public int? ManagedIdentityFailureStatus
    {
        get => _state.ManagedIdentityFailureStatus;
        set => _state.ManagedIdentityFailure = value;
    }

    /// <summary>The floor base for per-call benchmarks (<see cref="FloorEndpoint"/>): a fixed Patient, no server work.</summary>
    public Uri FloorBase => new(Origin, FloorEndpoint.Path);

    /// <summary>The platform whose assertions the federated clients accept (<see cref="OAuthClientRegistration.Workload"/>).</summary>
    public FederatedIssuer FederatedIssuer => _state.FederatedIssuer;

    /// <summary>Where a child process gets a federated assertion (<see cref="FederatedAssertionEndpoint"/>).</summary>
    public Uri FederatedAssertionUri => new(Origin, FederatedAssertionEndpoint.Path);

    /// <summary>The control endpoint for Bulk Data (<see cref="BulkControlEndpoint"/>).</summary>
    public Uri BulkControlUri => new(Origin, BulkControlEndpoint.Path);

    /// <summary>Forgets the recorded Bulk Data requests.</summary>
    public void ClearBulkRequests() => _state.Bulk.ClearRequests();

    /// <summary>Number of patients in the store.</summary>
    public int PatientCount => _state.Patients.Count;

    /// <summary>Starts a server. Dispose it to stop.</summary>
    public static async Task<FhirTestServer> StartAsync(FhirTestServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FhirTestServerOptions();
        var ownsPki = options.Pki is null;
        var pki = options.Pki ?? TestPki.Create();
        var state = new ServerState(options);
        var clientCertificates = options.NginxClientCertificateCheck ? ClientCertificateMode.AllowCertificate : options.ClientCertificateMode;
        var tls = new TlsSettings(pki, clientCertificates, options.ServerSslProtocols);
        var certificate = options.ServerCertificate ?? pki.ServerCertificate;
        tls.SetCertificate(certificate, ChainToSend(options, pki, certificate));

        // The empty builder: no configuration files, environment overrides or log providers, so no console noise.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Two listeners: the main origin, and a second origin that serves Bulk Data export files only.
            kestrel.Listen(IPAddress.Loopback, 0, Configure);
            kestrel.Listen(IPAddress.Loopback, 0, Configure);
            // And a plain-HTTP one for the managed identity endpoint, as App Service's IDENTITY_ENDPOINT is.
            kestrel.Listen(IPAddress.Loopback, 0);

            void Configure(ListenOptions listen)
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                // Before TLS: every TCP connection, also those whose handshake then fails.
                listen.Use(next => connection =>
                {
                    state.Counters.CountConnection();
                    return next(connection);
                });
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = _ => ValueTask.FromResult(tls.CreateOptions()),
                });
                // After TLS: handshakes that completed.
                listen.Use(next => connection =>
                {
                    state.Counters.CountTlsHandshake();
                    tls.LastProtocol = connection.Features.Get<ITlsHandshakeFeature>()?.Protocol ?? SslProtocols.None;
                    return next(connection);
                });
            }
        });
        var app = builder.Build();
        var dispatcher = new RequestDispatcher(state);
        app.Run(dispatcher.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            if (ownsPki)
            {
                pki.Dispose();
            }

            throw;
        }

        // In the order the listeners were added.
        var ports = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Select(a => new Uri(a).Port).ToArray();
        state.MainPort = ports[0];
        state.Bulk.SecondOrigin = new Uri($"https://127.0.0.1:{ports[1]}/");
        state.ManagedIdentityPort = ports[2];
        return new FhirTestServer(app, state, tls, pki, ownsPki, new Uri($"https://127.0.0.1:{ports[0]}/"))
        {
            _managedIdentity = dispatcher.ManagedIdentity,
        };
    }

    /// <summary>Presents another certificate to new connections (existing ones keep theirs).</summary>
    /// <param name="certificate">Certificate with private key.</param>
    /// <param name="chain">CA certificates to send after it; null means <see cref="TestPki.ChainFor"/>, empty sends the leaf alone.</param>
    public void SetServerCertificate(X509Certificate2 certificate, X509Certificate2Collection? chain = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        _tls.SetCertificate(certificate, chain ?? Pki.ChainFor(certificate));
    }

    /// <summary>Every access token value this server issued (revoked ones too), for tests that prove tokens never leak.</summary>
    public IReadOnlyCollection<string> IssuedTokenValues => _state.Tokens.EverIssued;

    /// <summary>Forgets every issued token, so the next Bearer request gets 401 invalid_token.</summary>
    public void RevokeAllTokens() => _state.Tokens.RevokeAll();

    /// <summary>Issues a token without a token request (for tests that need one up front).</summary>
    /// <param name="scopes">Granted scopes; null means all scopes of the first registered client.</param>
    /// <param name="lifetime">Lifetime; null means <see cref="TokenLifetime"/>.</param>
    public string IssueAccessToken(IReadOnlyList<string>? scopes = null, TimeSpan? lifetime = null)
    {
        var client = _state.Options.OAuthClients.FirstOrDefault();
        return _state.Tokens.Issue(client?.ClientId ?? "direct", scopes ?? client?.AllowedScopes ?? [], lifetime ?? TokenLifetime).Value;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsPki)
        {
            Pki.Dispose();
        }
    }

    private static X509Certificate2Collection ChainToSend(FhirTestServerOptions options, TestPki pki, X509Certificate2 certificate) =>
        !options.SendCertificateChain ? [] : options.ServerCertificateChain ?? pki.ChainFor(certificate);
}
