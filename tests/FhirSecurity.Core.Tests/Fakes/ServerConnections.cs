using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Fhir;
using FhirSecurity.Core.Http;
using FhirSecurity.Core.Secrets;
using FhirSecurity.Core.Tls;
using FhirSecurity.TestServer;

namespace FhirSecurity.Core.Tests.Fakes;

/// <summary>Definitions and policies that point at a running test server, built the way the resolver builds them.</summary>
internal static class ServerConnections
{
    public static TransportPolicy Trusting(TestPki pki) => Bundle(pki.BundlePem);

    public static TransportPolicy Bundle(string pem) => new(TlsValidationMode.CustomBundle, CaBundle.Parse(pem, DateTimeOffset.UtcNow, "test"));

    public static OAuthDefinition OAuth(
        FhirTestServer server,
        OAuthClientAuthentication method = OAuthClientAuthentication.ClientSecretBasic,
        string? clientId = null,
        string? secret = null,
        IReadOnlyList<string>? scopes = null,
        Uri? tokenUrl = null)
        => new()
        {
            Name = "oauth1",
            TokenUrl = tokenUrl ?? server.TokenEndpoint,
            ClientId = clientId ?? OAuthClientRegistration.Demo.ClientId,
            ClientSecret = new SecretValue(secret ?? OAuthClientRegistration.Demo.ClientSecret),
            ClientAuthentication = method,
            Scopes = scopes ?? ["system/Patient.read"],
        };

    public static BasicAuthDefinition Basic(BasicUser? user = null)
        => new() { Name = "basic1", UserName = (user ?? BasicUser.Demo).UserName, Password = new SecretValue((user ?? BasicUser.Demo).Password) };

    /// <summary>A resolved connection to <paramref name="baseUri"/> with the auth given (at most one).</summary>
    public static ResolvedConnection Resolved(Uri baseUri, TransportPolicy tls, BasicAuthDefinition? basic = null, OAuthDefinition? oauth = null)
    {
        var connection = new ConnectionDefinition
        {
            Name = "conn1",
            BaseUri = baseUri,
            BasicAuth = basic?.Name,
            OAuth = oauth?.Name,
            TlsValidation = tls.Mode,
            CaBundle = tls.Mode == TlsValidationMode.CustomBundle ? "ca1" : null,
            TimeoutSec = 10,
        };
        return new ResolvedConnection(connection, "test-vault", basic, oauth, tls);
    }

    public static FhirRequest Get(Uri uri, TimeSpan? timeout = null)
        => new(HttpMethod.Get, uri, null, new Dictionary<string, string>(), timeout ?? TimeSpan.FromSeconds(10));
}
