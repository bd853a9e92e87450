using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Core.Tests.Fakes;

/// <summary>Valid definitions to start tests from; each test changes what it is about.</summary>
internal static class Samples
{
    public const string Password = "canary-password-7d1f";
    public const string ClientSecret = "canary-client-secret-93ab";

    public static BasicAuthDefinition Basic(string name = "basic1")
        => new() { Name = name, UserName = "svc-fhir", Password = new SecretValue(Password) };

    public static OAuthDefinition OAuth(string name = "oauth1")
        => new()
        {
            Name = name,
            TokenUrl = new Uri("https://auth.example.org/token"),
            ClientId = "client-1",
            ClientSecret = new SecretValue(ClientSecret),
            ClientAuthentication = OAuthClientAuthentication.ClientSecretPost,
            Scopes = ["system/Patient.rs", "system/Observation.rs"],
            ExtraParameters = new Dictionary<string, string> { ["audience"] = "https://fhir.example.org" },
        };

    public static ConnectionDefinition Connection(string name = "conn1", string? basic = null, string? oauth = null)
        => new() { Name = name, BaseUri = new Uri("https://fhir.example.org/r4/"), BasicAuth = basic, OAuth = oauth };
}
