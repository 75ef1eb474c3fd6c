#!/bin/bash
# The lines of $REALSYS_OUT/env.sh for osTicket (run.sh calls this while osTicket runs).
echo "export OSTICKET_URL=http://127.0.0.1:8088"
echo "export OSTICKET_API_KEY=REALSYS0123456789ABCDEF0123456789"
echo "export OSTICKET_USER=ostadmin OSTICKET_PASSWORD=realsys-Admin1"
echo "export OSTICKET_DB=osticket OSTICKET_DB_USER=osticket OSTICKET_DB_PASSWORD=ostdbpw"
echo "export OSTICKET_EXPORT='$REALSYS_OUT/osticket'"
