using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Core.Definitions.Edits;

/// <summary>A user name and password as a command was given them (a PSCredential at the cmdlet's edge).</summary>
/// <param name="UserName">The user name.</param>
/// <param name="Password">The password.</param>
public sealed record UserCredential(string UserName, SecretValue Password);
