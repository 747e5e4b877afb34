import './functions/reprocessDeadLetter';
import './functions/parkPoisonedDeadLetter';
import './functions/reprocessorStats';
