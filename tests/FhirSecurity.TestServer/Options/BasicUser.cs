namespace FhirSecurity.TestServer;

/// <summary>A user the Basic Auth base accepts.</summary>
/// <param name="UserName">User name (may contain any Unicode except ':').</param>
/// <param name="Password">Password, compared as UTF-8 bytes.</param>
public sealed record BasicUser(string UserName, string Password)
{
    /// <summary>Demo values only. Non-ASCII on purpose, to exercise the UTF-8 rule of RFC 7617.</summary>
    public static BasicUser Demo { get; } = new("fhir-user", "démo-pässwort");

    /// <summary>Shows the user name only, so the password cannot reach a log through string formatting.</summary>
    public override string ToString() => $"{nameof(BasicUser)} {{ UserName = {UserName} }}";
}
