namespace FhirSecurity.TestServer;

/// <summary>Everything the request handlers share for one server instance.</summary>
internal sealed class ServerState
{
    private long _tokenLifetimeTicks;
    private long _dateHeaderOffsetTicks;
    private long _fhirLatencyTicks;
    private volatile string? _lastAuthorizationScheme;
    private volatile TokenRequestRecord? _lastTokenRequest;
    private volatile string? _lastClientCertificateSubject;

    public ServerState(FhirTestServerOptions options)
    {
        Options = options;
        Time = options.TimeProvider;
        Tokens = new TokenStore(Time);
        Patients = new PatientStore(Time);
        Patients.Seed(options.SeedPatientCount);
        TokenLifetime = options.TokenLifetime;
    }

    public FhirTestServerOptions Options { get; }

    public TimeProvider Time { get; }

    public TokenStore Tokens { get; }

    public PatientStore Patients { get; }

    public ServerCounters Counters { get; } = new();

    /// <summary>The secret of the managed identity endpoint (IDENTITY_HEADER): 128 random bits, a canary.</summary>
    public string IdentityHeader { get; } = "idh-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>The plain-HTTP loopback port of the managed identity endpoint.</summary>
    public int ManagedIdentityPort { get; set; }

    /// <summary>A status every managed identity request is answered with (a fault), or null.</summary>
    public volatile object? ManagedIdentityFailure;

    public int? ManagedIdentityFailureStatus => ManagedIdentityFailure as int?;

    /// <summary>The platform whose assertions federated clients accept.</summary>
    public FederatedIssuer FederatedIssuer { get; } = new();

    public FaultInjector Faults { get; } = new();

    /// <summary>Bulk Data exports, their requests and the scenario they follow.</summary>
    public BulkExportState Bulk { get; } = new();

    /// <summary>The main listener's port (the second serves export files only).</summary>
    public int MainPort { get; set; }

    private readonly System.Collections.Concurrent.ConcurrentQueue<ReceivedAssertion> _assertions = new();

    /// <summary>Every client assertion received that decoded, in order, with the verdict.</summary>
    public IReadOnlyList<ReceivedAssertion> Assertions => [.. _assertions];

    public void RecordAssertion(ReceivedAssertion assertion) => _assertions.Enqueue(assertion);

    /// <summary>Replaces the smart-configuration body (any text, served as JSON with 200); null serves the default.</summary>
    public volatile string? SmartConfigurationOverride;

    public TimeSpan TokenLifetime
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _tokenLifetimeTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            Interlocked.Exchange(ref _tokenLifetimeTicks, value.Ticks);
        }
    }

    /// <summary>How far every answer's Date header is set off the real clock (zero: Kestrel's own Date).</summary>
    public TimeSpan DateHeaderOffset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _dateHeaderOffsetTicks));
        set => Interlocked.Exchange(ref _dateHeaderOffsetTicks, value.Ticks);
    }

    /// <summary>How long every request to a FHIR base waits before it is handled (zero: no wait).</summary>
    public TimeSpan FhirLatency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _fhirLatencyTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            Interlocked.Exchange(ref _fhirLatencyTicks, value.Ticks);
        }
    }

    public string? LastAuthorizationScheme
    {
        get => _lastAuthorizationScheme;
        set => _lastAuthorizationScheme = value;
    }

    public TokenRequestRecord? LastTokenRequest
    {
        get => _lastTokenRequest;
        set => _lastTokenRequest = value;
    }

    public string? LastClientCertificateSubject
    {
        get => _lastClientCertificateSubject;
        set => _lastClientCertificateSubject = value;
    }
}
