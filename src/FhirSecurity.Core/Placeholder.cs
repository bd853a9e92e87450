namespace FhirSecurity.Core; /// <summary>x</summary>
public static class Placeholder { }
