// Says why the last login failed (the server redirects back here with ?error=...).
'use strict';
const why = new URLSearchParams(location.search).get('error');
const messages = { wrong: 'wrong user name or password' };
if (why && messages[why]) document.getElementById('loginMsg').textContent = messages[why];
