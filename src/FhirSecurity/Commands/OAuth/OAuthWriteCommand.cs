using System.Management.Automation;
using System.Security;

namespace FhirSecurity.Commands;

/// <summary>
/// New-FhirOAuth and Set-FhirOAuth: the client's secret, key or assertion file parameters, which mean the same in
/// both, and -PassThru. What they mean together is the engine's OAuth edit; <see cref="OAuthKeySource"/> turns them
/// into one.
/// </summary>
public abstract class OAuthWriteCommand : FhirCommand
{
    /// <summary>The client secret (ClientSecretBasic, ClientSecretPost); on Set- it replaces a key.</summary>
    [Parameter]
    public SecureString? ClientSecret { get; set; }

    /// <summary>A PEM file with the private key (PrivateKeyJwt).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PrivateKeyPath { get; set; }

    /// <summary>The PEM private key as text (PrivateKeyJwt).</summary>
    [Parameter]
    public SecureString? PrivateKey { get; set; }

    /// <summary>RS384 or ES384. Default with a new key: RS384 for an RSA key, ES384 for an EC key.</summary>
    [Parameter]
    public FhirJwtAlgorithm? Algorithm { get; set; }

    /// <summary>The key id (kid) the server registered the public key under (PrivateKeyJwt).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeyId { get; set; }

    /// <summary>The client's JWKS URL, sent as jku (PrivateKeyJwt, optional); $null on Set- removes it.</summary>
    [Parameter]
    public Uri? JwksUrl { get; set; }

    /// <summary>
    /// A file a platform writes a signed assertion to (ClientAssertionFile): AKS workload identity's token, a CI job's
    /// OIDC token. Read at every token request; it must exist now. The vault stores the path, never the content.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ClientAssertionPath { get; set; }

    /// <summary>Writes the definition (secrets redacted) to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }
}
