namespace FhirSecurity.TestServer;

/// <summary>Everything the request handlers share for one server instance.</summary>
internal sealed class ServerState
{
    private long _tokenLifetimeTicks;
    private long _dateHeaderOffsetTicks;
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

    public FaultInjector Faults { get; } = new();

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
