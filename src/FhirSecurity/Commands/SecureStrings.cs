using System.Net;
using System.Security;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Commands;

/// <summary>SecureString parameters (-ClientSecret, -PrivateKey, -ClientCertificatePassword) as the engine takes them.</summary>
internal static class SecureStrings
{
    /// <summary>The secret in <paramref name="value"/>, or null when the parameter was not given.</summary>
    public static SecretValue? ToSecret(SecureString? value)
        => value is null ? null : new SecretValue(new NetworkCredential(string.Empty, value).Password);
}
