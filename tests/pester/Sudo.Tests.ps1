# -UseSudo against real sudo and real sudoers rules, through a loopback sshd with stock limits.
# Every user's password is a canary: 'Kt-…;touch /tmp/kvmtime-canary-<user>;'. If any byte of it
# ever reached a shell as a command, the canary file would exist.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    $script:Sshd = Start-TestSshd
    $script:Target = "127.0.0.1:$($Sshd.Port)"
    $script:Users = [System.Collections.Generic.List[object]]::new()
    $script:SysfsCurrent = (Get-Content /sys/devices/system/clocksource/clocksource0/current_clocksource).Trim()

    function New-SudoUser([string] $Rule = 'ALL=(ALL) ALL', [string[]] $Defaults = @()) {
        $account = New-TestUser -Rule $Rule -Defaults $Defaults -Directory $Sshd.Directory
        $Users.Add($account)
        $account
    }

    function New-TestCredential([pscustomobject] $Account, [string] $Password = $Account.Password) {
        [pscredential]::new($Account.UserName, (ConvertTo-SecureString $Password -AsPlainText -Force))
    }

    # Test-ConstantTsc reads the kernel log, which only root may read here (dmesg_restrict=1):
    # MarkedUnstable is $false through a root shell and null without one.
    function Invoke-AsSudo([pscustomobject] $Account, [hashtable] $Extra = @{}) {
        $parameters = @{ ComputerName = $Target; Credential = (New-TestCredential $Account); KnownHostsPath = $Sshd.KnownHostsPath }
        foreach ($key in $Extra.Keys) { $parameters[$key] = $Extra[$key] }
        $output = Test-ConstantTsc @parameters -UseSudo -Verbose 4>&1 -ErrorVariable failures -ErrorAction SilentlyContinue
        [pscustomobject]@{
            Report   = $output | Where-Object { $_ -is [KvmTime.Model.TscReport] }
            Verbose  = ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String)
            Errors   = $failures
        }
    }

    function Assert-PasswordNeverRan([pscustomobject] $Account, $Run) {
        $Account.CanaryPath | Should -Not -Exist -Because 'the password must never run as a shell command'
        $Run.Verbose | Should -Not -Match ([regex]::Escape($Account.Password))
        ($Run.Errors | Out-String) | Should -Not -Match ([regex]::Escape($Account.Password))
        ($Error | Out-String) | Should -Not -Match ([regex]::Escape($Account.Password))
        Get-Content $Sshd.LogPath -Raw | Should -Not -Match ([regex]::Escape($Account.Password))
    }
}

AfterAll {
    foreach ($account in $Users) { Remove-TestUser $account }
    Stop-TestSshd $Sshd
}

Describe 'sudo through SSH: the password goes to sudo only, only when it asks' -Tag 'Ssh' {
    BeforeAll {
        (Get-Content /proc/sys/kernel/dmesg_restrict) | Should -Be '1' -Because 'the tests tell a root shell from a user shell by the kernel log'
    }

    It 'a password rule: sudo asks, the password answers its prompt, and the script runs as root' {
        $account = New-SudoUser
        $run = Invoke-AsSudo $account
        $run.Errors | Should -BeNullOrEmpty
        $run.Report.MarkedUnstable | Should -BeFalse
        $run.Verbose | Should -Match 'sudo asked for a password; it went to sudo''s prompt only'
        Get-Content $account.SudoLogPath -Raw | Should -Match "(?s)$($account.UserName) : .*USER=root.*COMMAND=/usr/bin/sh -c"
        Assert-PasswordNeverRan $account $run
    }

    It 'a NOPASSWD rule: sudo does not ask, and the password given with -Credential never reaches the root shell' {
        $account = New-SudoUser -Rule 'ALL=(ALL) NOPASSWD: ALL'
        $run = Invoke-AsSudo $account
        $run.Errors | Should -BeNullOrEmpty
        $run.Report.MarkedUnstable | Should -BeFalse
        $run.Verbose | Should -Match 'sudo started a root shell without asking for a password'
        Assert-PasswordNeverRan $account $run
    }

    It 'a cached timestamp: the second connection is not asked, and the password is not written' {
        $account = New-SudoUser -Defaults 'timestamp_type=global', 'timestamp_timeout=5'
        $first = Invoke-AsSudo $account
        $first.Verbose | Should -Match 'sudo asked for a password'
        $second = Invoke-AsSudo $account
        $second.Errors | Should -BeNullOrEmpty
        $second.Report.MarkedUnstable | Should -BeFalse
        $second.Verbose | Should -Match 'without asking for a password'
        Assert-PasswordNeverRan $account $second
    }

    It 'Defaults !authenticate: no prompt, and no password written' {
        $account = New-SudoUser -Defaults '!authenticate'
        $run = Invoke-AsSudo $account
        $run.Errors | Should -BeNullOrEmpty
        $run.Verbose | Should -Match 'without asking for a password'
        Assert-PasswordNeverRan $account $run
    }

    It 'Defaults use_pty: works as before' {
        $account = New-SudoUser -Defaults 'use_pty'
        $run = Invoke-AsSudo $account
        $run.Errors | Should -BeNullOrEmpty
        $run.Report.MarkedUnstable | Should -BeFalse
        Assert-PasswordNeverRan $account $run
    }

    It 'Defaults requiretty: a clear SudoRequiresTty that says what to change, and nothing runs' {
        $account = New-SudoUser -Defaults 'requiretty'
        $run = Invoke-AsSudo $account
        $run.Report | Should -BeNullOrEmpty
        $run.Errors | Should -HaveCount 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'SudoRequiresTty,*'
        $run.Errors[0].Exception.Message | Should -Match '!requiretty'
        Assert-PasswordNeverRan $account $run
    }

    It 'a wrong password: SudoAuthenticationFailed after one attempt, no retries' {
        $account = New-SudoUser
        # Log in by key, so only sudo sees the wrong password.
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $run = Invoke-AsSudo $account @{ KeyFilePath = $Sshd.KeyFilePath; Credential = (New-TestCredential $account 'not-the-password') }
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 30 -Because 'one attempt, not three prompts waiting for input'
        $run.Errors | Should -HaveCount 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'SudoAuthenticationFailed,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $log = Get-Content $account.SudoLogPath -Raw -ErrorAction Ignore
        $log | Should -Match '1 incorrect password attempt'
        $log | Should -Not -Match '[23] incorrect password attempts'
        $run.Verbose | Should -Not -Match 'not-the-password'
        Assert-PasswordNeverRan $account $run
    }

    It 'a password rule without -Credential: SudoPasswordRequired, naming the fix' {
        $account = New-SudoUser
        Test-ConstantTsc -ComputerName $Target -UserName $account.UserName -KeyFilePath $Sshd.KeyFilePath -KnownHostsPath $Sshd.KnownHostsPath -UseSudo -ErrorVariable e -ErrorAction SilentlyContinue
        $e | Should -HaveCount 1
        $e[0].FullyQualifiedErrorId | Should -BeLike 'SudoPasswordRequired,*'
        $e[0].Exception.Message | Should -Match 'NOPASSWD'
    }

    It 'a script that reads stdin gets exactly its input, with the password never in front of it' {
        $account = New-SudoUser
        $s = New-KvmTimeSession -ComputerName $Target -Credential (New-TestCredential $account) -KnownHostsPath $Sshd.KnownHostsPath -UseSudo
        try {
            # The session's target is internal: reached by reflection, to run a raw script as the cmdlets do.
            $target = $s.GetType().GetProperty('Target', [System.Reflection.BindingFlags]'NonPublic,Instance').GetValue($s)
            $stdin = "<domain>`n it's `$HOME`n</domain>"
            $result = $target.RunShellAsync('cat; printf "[uid %s]" "$(id -u)"', $stdin, [System.Threading.CancellationToken]::None).GetAwaiter().GetResult()
            $result.StandardOutput | Should -Be "$stdin[uid 0]"
            $result.ExitCode | Should -Be 0
        }
        finally { Remove-KvmTimeSession $s }
        $account.CanaryPath | Should -Not -Exist
    }
}

Describe 'SSH channels against stock MaxSessions 10' -Tag 'Ssh' {
    It '50 concurrent calls on one session all answer (at most 8 channels at once)' {
        $s = New-KvmTimeSession -ComputerName $Target -UserName root -KeyFilePath $Sshd.KeyFilePath -KnownHostsPath $Sshd.KnownHostsPath
        try {
            $module = Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1'
            $results = 1..50 | ForEach-Object -Parallel { Import-Module $using:module; Get-KvmClocksource -Session $using:s } -ThrottleLimit 50
            $results | Should -HaveCount 50
            $results | ForEach-Object { $_.Current | Should -Be $SysfsCurrent }
        }
        finally { Remove-KvmTimeSession $s }
        Get-Content $Sshd.LogPath -Raw | Should -Not -Match 'no more sessions'
    }
}
