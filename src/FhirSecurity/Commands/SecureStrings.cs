using System.Management.Automation;
using System.Net;
using System.Security;
using FhirSecurity.Core.Definitions.Edits;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Commands;

/// <summary>
/// SecureString and PSCredential parameters (-ClientSecret, -PrivateKey, -ClientCertificatePassword, -Password,
/// -Credential, -ProxyCredential) as the engine takes them: the one place their secrets are read.
/// </summary>
internal static class SecureStrings
{
    /// <summary>The secret in <paramref name="value"/>, or null when the parameter was not given.</summary>
    public static SecretValue? ToSecret(SecureString? value)
        => value is null ? null : new SecretValue(new NetworkCredential(string.Empty, value).Password);

    /// <summary>The user name and password in <paramref name="credential"/>, or null when it was not given.</summary>
    public static UserCredential? ToCredential(PSCredential? credential)
        => credential is null
            ? null
            : new UserCredential(credential.UserName, ToSecret(credential.Password) ?? new SecretValue(string.Empty));
}
