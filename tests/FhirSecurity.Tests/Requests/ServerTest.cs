using System.Net;
using FhirSecurity.Tests.Definitions;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Requests;

/// <summary>
/// Hosted-engine tests against a fresh HTTPS test server (its own CA, root -> intermediate -> leaf) per test,
/// with canary credentials registered on it, and the process token cache emptied first.
/// </summary>
public abstract class ServerTest : DefinitionCmdletTest
{
    protected const string ClientId = "canary-client";
    protected const string UserName = "canary-user";

    /// <summary>A SMART Backend Services client: private_key_jwt with <see cref="ClientKeys"/> registered as its JWKS.</summary>
    protected const string BackendClientId = "backend-client";

    protected ServerTest()
        : this(requireClientCertificate: false)
    {
    }

    /// <summary>
    /// A server that, with <paramref name="requireClientCertificate"/>, takes only TLS clients with a certificate from its
    /// CA; with <paramref name="nginxClientCertificateCheck"/>, it plays nginx with <c>ssl_verify_client on</c> instead
    /// (the handshake asks for a certificate and finishes without one, then requests get nginx's 400 page).
    /// </summary>
    protected ServerTest(bool requireClientCertificate, bool nginxClientCertificateCheck = false)
    {
        Server = FhirTestServer.StartAsync(new FhirTestServerOptions
        {
            ClientCertificateMode = requireClientCertificate
                ? Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.RequireCertificate
                : Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.NoCertificate,
            NginxClientCertificateCheck = nginxClientCertificateCheck,
            OAuthClients =
            [
                new OAuthClientRegistration(ClientId, ClientSecret, ClientAuthMethods.All, ["system/Patient.read", "system/Patient.write", "system/*.read"]),
                new OAuthClientRegistration(BackendClientId, "unused", ClientAuthMethods.PrivateKeyJwt, ["system/Patient.read", "system/*.read"])
                {
                    Jwks = TestJwks.Of((ClientKeys.Rsa, ClientKeys.RsaKid), (ClientKeys.Ec, ClientKeys.EcKid)),
                },
                OAuthClientRegistration.Workload,
            ],
            BasicUsers = [new BasicUser(UserName, Password)],
        }).GetAwaiter().GetResult();
        RunOk("Clear-FhirTokenCache");
    }

    protected FhirTestServer Server { get; }

    /// <summary>Values scripts use as $variables: server addresses, the CA bundle, the canary secrets.</summary>
    protected Dictionary<string, object?> Vars => new()
    {
        ["openBase"] = Server.OpenBase.AbsoluteUri,
        ["basicBase"] = Server.BasicBase.AbsoluteUri,
        ["oauthBase"] = Server.OAuthBase.AbsoluteUri,
        ["tokenUrl"] = Server.TokenEndpoint.AbsoluteUri,
        ["pem"] = Server.Pki.BundlePem,
        ["clientSecret"] = new NetworkCredential(string.Empty, ClientSecret).SecurePassword,
        ["rsaKey"] = new NetworkCredential(string.Empty, ClientKeys.RsaPem).SecurePassword,
        ["ecKey"] = new NetworkCredential(string.Empty, ClientKeys.EcPem).SecurePassword,
        ["basicCredential"] = new System.Management.Automation.PSCredential(UserName, new NetworkCredential(string.Empty, Password).SecurePassword),
    };

    /// <summary>Runs with <see cref="Vars"/> set.</summary>
    protected PsResult RunWith(string script) => Run(script, Vars);

    /// <summary>Runs with <see cref="Vars"/> set and asserts no error.</summary>
    protected PsResult RunWithOk(string script)
    {
        PsResult result = RunWith(script);
        Assert.True(result.Errors.Count == 0, "Unexpected errors: " + string.Join(" | ", result.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
        return result;
    }

    /// <summary>Imports the server's CA as bundle 'testca'.</summary>
    protected void ImportCa() => RunWithOk("Import-FhirCaBundle -Name testca -Pem $pem");

    /// <summary>An OAuth connection named <paramref name="name"/> trusting the test CA.</summary>
    protected void NewOAuthConnection(string name = "c", string method = "ClientSecretBasic", string scope = "system/Patient.read")
    {
        ImportCa();
        RunWithOk($"New-FhirOAuth -Name {name}-oauth -TokenUrl $tokenUrl -ClientId {ClientId} -ClientSecret $clientSecret -ClientAuthentication {method} -Scope {scope}; " +
                  $"New-FhirConnection -Name {name} -BaseUri $oauthBase -OAuth {name}-oauth -CaBundle testca");
    }

    /// <summary>A Basic Auth connection named <paramref name="name"/> trusting the test CA.</summary>
    protected void NewBasicConnection(string name = "c")
    {
        ImportCa();
        RunWithOk($"New-FhirBasicAuth -Name {name}-basic -Credential $basicCredential; New-FhirConnection -Name {name} -BaseUri $basicBase -BasicAuth {name}-basic -CaBundle testca");
    }

    /// <inheritdoc />
    protected override void Cleanup() => Server.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
