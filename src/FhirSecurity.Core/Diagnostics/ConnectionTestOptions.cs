namespace FhirSecurity.Core.Diagnostics;

/// <summary>Limits of a connection test.</summary>
/// <param name="Timeout">How long each network step (DNS, TCP, TLS, token, metadata) may take.</param>
/// <param name="MaximumClockSkew">
/// The largest difference between the server's clock and this machine's that passes.
/// </param>
public sealed record ConnectionTestOptions(TimeSpan Timeout, TimeSpan MaximumClockSkew)
{
    /// <summary>
    /// The default skew limit: JWT-based authentication (client assertions, tokens checked by their exp/nbf) commonly
    /// tolerates up to a few minutes, and a clock a minute off already deserves attention.
    /// </summary>
    public static readonly TimeSpan DefaultMaximumClockSkew = TimeSpan.FromSeconds(60);
}
