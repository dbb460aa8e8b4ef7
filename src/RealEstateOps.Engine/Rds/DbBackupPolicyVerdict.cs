namespace RealEstateOps.Engine.Rds;

/// <summary>
/// The verdict on one point: it holds (Pass), it does not (Fail), it holds with a caveat (Warning), there is nothing to judge
/// it against (Info: an age the policy does not limit), or it could not be read (Unknown, with the error id).
/// </summary>
public enum DbBackupPolicyVerdict { Pass, Fail, Warning, Info, Unknown }
